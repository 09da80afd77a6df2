import { DEFAULT_CONSTITUENCY_WARNING_SETTINGS, ConstituencyWarningTarget } from '@vigia/database';
import { IndicatorType, Severity, TlpLevel } from '@vigia/indicators';
import { SubscriptionIndex } from './matching/subscription-index';
import { constituencyRuleId, constituencyRulesOf } from './subscription-index.cache';

const OWNER = 'org-owner';
const constituency = { cidrs: ['203.0.113.0/24'], asns: [64500], domains: ['gub.example'] };

const target = (overrides: Partial<ConstituencyWarningTarget['settings']> = {}, webhookEndpointIds: string[] = []) => ({
  organisationId: OWNER,
  settings: { ...DEFAULT_CONSTITUENCY_WARNING_SETTINGS, ...overrides },
  webhookEndpointIds,
});

const candidate = (value: string, report: { organisationId?: string; tlp?: TlpLevel; severity?: string } = {}) => ({
  indicatorId: `indicator--${value}`,
  type: IndicatorType.Ipv4,
  value,
  confidence: 80,
  orgCountFor: () => 1,
  score: 50,
  report: {
    id: 'report-1',
    organisationId: report.organisationId ?? 'org-reporter',
    classification: 'fraud',
    severity: report.severity ?? 'high',
    tlp: report.tlp ?? TlpLevel.Green,
    tlpRecipients: [],
    countries: [],
    sectors: [],
  },
});

describe('constituency rules', () => {
  it('makes one rule per member with warnings on, matching only its constituency, never its own reports', () => {
    const [built] = constituencyRulesOf([{ organisationId: OWNER, constituency }], [target()]);
    expect(built!.target).toEqual({
      id: constituencyRuleId(OWNER),
      organisationId: OWNER,
      channels: { stream: true, webhookEndpointIds: [], contacts: true },
    });
    const index = new SubscriptionIndex([built!.rule]);
    expect(index.match(candidate('203.0.113.9')).map((rule) => rule.id)).toEqual([constituencyRuleId(OWNER)]);
    expect(index.match(candidate('198.51.100.9'))).toEqual([]);
    expect(index.match(candidate('203.0.113.9', { organisationId: OWNER }))).toEqual([]);
    expect(index.match(candidate('203.0.113.9', { tlp: TlpLevel.Red }))).toEqual([]);
  });

  it('leaves out members that turned warnings off, have no channel left, or are not active (no target)', () => {
    const constituencies = [{ organisationId: OWNER, constituency }];
    expect(constituencyRulesOf(constituencies, [target({ enabled: false })])).toEqual([]);
    expect(
      constituencyRulesOf(constituencies, [target({ channels: { stream: false, email: false, webhook: true } })]),
    ).toEqual([]);
    expect(constituencyRulesOf(constituencies, [])).toEqual([]);
    const webhookOnly = constituencyRulesOf(constituencies, [
      target({ channels: { stream: false, email: false, webhook: true } }, ['endpoint-1']),
    ]);
    expect(webhookOnly.map(({ target: t }) => t.channels)).toEqual([
      { stream: false, webhookEndpointIds: ['endpoint-1'], contacts: false },
    ]);
  });

  it('applies the minimum severity and the RED choice of the settings', () => {
    const [built] = constituencyRulesOf(
      [{ organisationId: OWNER, constituency }],
      [target({ minSeverity: Severity.Critical, acceptsRed: true })],
    );
    const index = new SubscriptionIndex([built!.rule]);
    expect(index.match(candidate('203.0.113.9', { severity: 'high' }))).toEqual([]);
    expect(index.match(candidate('203.0.113.9', { severity: 'critical' }))).toHaveLength(1);
  });
});
