import { MailLocale, MailTemplate, RenderedMail, severityLabel } from '@vigia/mail';
import { TLP_LEVELS, TlpLevel, isTlpLevel, tlpRank } from '@vigia/indicators';
import { WarningEnvelope } from '@vigia/warning-stream';

/**
 * What a mail says about one warning: the report as the recipient may see it and the matching values with the
 * figures the warning carries. Kept as it is (jsonb) while a digest waits for its period to end.
 */
export interface WarningMailItem {
  warningId: string;
  subscriptionName: string;
  warnedAt: string;
  report: {
    id: string;
    title: string;
    classification: string;
    type: string | null;
    severity: string;
    tlp: string;
    reporterName: string;
  };
  indicators: {
    type: string;
    value: string;
    confidence: number | null;
    orgCount: number;
    firstSeen: string | null;
    lastSeen: string | null;
  }[];
  /** Matching values beyond the first `MAIL_INDICATOR_LIMIT`, counted, not listed. */
  moreIndicators: number;
}

/** Values listed per warning: a report of thousands of values makes a mail nobody reads (webhooks carry them all). */
export const MAIL_INDICATOR_LIMIT = 100;

export interface WarningDigestParams {
  subscriptionName: string;
  period: 'hourly' | 'daily';
  items: WarningMailItem[];
}

/** One warning of a subscription as a mail item. */
export const warningMailItemOf = (subscriptionName: string, envelope: WarningEnvelope): WarningMailItem => ({
  warningId: envelope.id,
  subscriptionName,
  warnedAt: envelope.created_at,
  report: {
    id: envelope.report.id,
    title: envelope.report.title,
    classification: envelope.report.classification,
    type: envelope.report.type,
    severity: envelope.report.severity,
    tlp: envelope.report.tlp,
    reporterName: envelope.report.reporter.name,
  },
  indicators: envelope.indicators.slice(0, MAIL_INDICATOR_LIMIT).map((indicator) => ({
    type: indicator.type,
    value: indicator.value,
    confidence: indicator.confidence,
    orgCount: indicator.org_count,
    firstSeen: indicator.first_seen,
    lastSeen: indicator.last_seen,
  })),
  moreIndicators: Math.max(0, envelope.indicators.length - MAIL_INDICATOR_LIMIT),
});

/** `TLP:AMBER+STRICT`: the label TLP 2.0 asks to show; an unknown level is treated as the strictest. */
export const tlpLabel = (tlp: string): string => `TLP:${(isTlpLevel(tlp) ? tlp : TlpLevel.Red).toUpperCase()}`;

/** The most restrictive level among the items: a digest is marked with it as a whole, each item with its own. */
export function strictestTlp(items: readonly WarningMailItem[]): string {
  const levels = items.map((item) => (isTlpLevel(item.report.tlp) ? item.report.tlp : TlpLevel.Red));
  return levels.reduce((strictest, level) => (tlpRank(level) > tlpRank(strictest) ? level : strictest), TLP_LEVELS[0]!);
}

/** The words of one language. Subjects carry the TLP label, the taxonomy and counts: never indicator values. */
interface Words {
  locale: MailLocale;
  warningSubject(tlp: string, what: string, severity: string): string;
  digestSubject(tlp: string, count: number, period: WarningDigestParams['period']): string;
  intro(subscription: string): string;
  digestIntro(subscription: string, count: number, period: WarningDigestParams['period']): string;
  handling: string;
  report: string;
  reporter: string;
  classification: string;
  severity: string;
  reportId: string;
  indicators(count: number): string;
  more(count: number): string;
  confidence: string;
  seenBy(count: number): string;
  firstSeen: string;
  lastSeen: string;
  footer: string;
}

const WORDS: Record<MailLocale, Words> = {
  en: {
    locale: 'en',
    warningSubject: (tlp, what, severity) => `[${tlp}] Vigia early warning: ${what}, severity ${severity}`,
    digestSubject: (tlp, count, period) =>
      `[${tlp}] Vigia ${period === 'hourly' ? 'hourly' : 'daily'} digest: ${count} early warning${count === 1 ? '' : 's'}`,
    intro: (subscription) => `An early warning matched your subscription “${subscription}”.`,
    digestIntro: (subscription, count, period) =>
      `${count} early warning${count === 1 ? '' : 's'} matched your subscription “${subscription}” in the last ` +
      `${period === 'hourly' ? 'hour' : 'day'}.`,
    handling: 'Handle each warning according to its TLP 2.0 label (https://www.first.org/tlp/).',
    report: 'Report',
    reporter: 'Reported by',
    classification: 'Classification',
    severity: 'Severity',
    reportId: 'Report id',
    indicators: (count) => `Indicators (${count})`,
    more: (count) => `… and ${count} more`,
    confidence: 'confidence',
    seenBy: (count) => `reported by ${count} organisation${count === 1 ? '' : 's'}`,
    firstSeen: 'first seen',
    lastSeen: 'last seen',
    footer: 'You receive this mail through an e-mail channel of this subscription in Vigia.',
  },
  es: {
    locale: 'es',
    warningSubject: (tlp, what, severity) => `[${tlp}] Alerta temprana de Vigia: ${what}, severidad ${severity}`,
    digestSubject: (tlp, count, period) =>
      `[${tlp}] Resumen ${period === 'hourly' ? 'horario' : 'diario'} de Vigia: ${count} alerta${count === 1 ? '' : 's'} temprana${count === 1 ? '' : 's'}`,
    intro: (subscription) => `Una alerta temprana coincidió con su suscripción «${subscription}».`,
    digestIntro: (subscription, count, period) =>
      `${count} alerta${count === 1 ? '' : 's'} temprana${count === 1 ? '' : 's'} coincidieron con su suscripción ` +
      `«${subscription}» en ${period === 'hourly' ? 'la última hora' : 'el último día'}.`,
    handling: 'Trate cada alerta según su etiqueta TLP 2.0 (https://www.first.org/tlp/).',
    report: 'Informe',
    reporter: 'Informado por',
    classification: 'Clasificación',
    severity: 'Severidad',
    reportId: 'Id. del informe',
    indicators: (count) => `Indicadores (${count})`,
    more: (count) => `… y ${count} más`,
    confidence: 'confianza',
    seenBy: (count) => `informado por ${count} organización${count === 1 ? '' : 'es'}`,
    firstSeen: 'visto por primera vez',
    lastSeen: 'visto por última vez',
    footer: 'Recibe este correo por un canal de correo electrónico de esta suscripción en Vigia.',
  },
  pt: {
    locale: 'pt',
    warningSubject: (tlp, what, severity) => `[${tlp}] Alerta antecipado do Vigia: ${what}, severidade ${severity}`,
    digestSubject: (tlp, count, period) =>
      `[${tlp}] Resumo ${period === 'hourly' ? 'horário' : 'diário'} do Vigia: ${count} alerta${count === 1 ? '' : 's'} antecipado${count === 1 ? '' : 's'}`,
    intro: (subscription) => `Um alerta antecipado correspondeu à sua assinatura “${subscription}”.`,
    digestIntro: (subscription, count, period) =>
      `${count} alerta${count === 1 ? '' : 's'} antecipado${count === 1 ? '' : 's'} corresponderam à sua ` +
      `assinatura “${subscription}” ${period === 'hourly' ? 'na última hora' : 'no último dia'}.`,
    handling: 'Trate cada alerta conforme o seu rótulo TLP 2.0 (https://www.first.org/tlp/).',
    report: 'Relatório',
    reporter: 'Relatado por',
    classification: 'Classificação',
    severity: 'Severidade',
    reportId: 'Id do relatório',
    indicators: (count) => `Indicadores (${count})`,
    more: (count) => `… e mais ${count}`,
    confidence: 'confiança',
    seenBy: (count) => `relatado por ${count} organizaç${count === 1 ? 'ão' : 'ões'}`,
    firstSeen: 'visto pela primeira vez',
    lastSeen: 'visto pela última vez',
    footer: 'Você recebe este e-mail por um canal de e-mail desta assinatura no Vigia.',
  },
  fr: {
    locale: 'fr',
    warningSubject: (tlp, what, severity) => `[${tlp}] Alerte précoce Vigia : ${what}, gravité ${severity}`,
    digestSubject: (tlp, count, period) =>
      `[${tlp}] Synthèse ${period === 'hourly' ? 'horaire' : 'quotidienne'} Vigia : ${count} alerte${count === 1 ? '' : 's'} précoce${count === 1 ? '' : 's'}`,
    intro: (subscription) => `Une alerte précoce correspond à votre abonnement « ${subscription} ».`,
    digestIntro: (subscription, count, period) =>
      `${count} alerte${count === 1 ? '' : 's'} précoce${count === 1 ? '' : 's'} correspondent à votre abonnement ` +
      `« ${subscription} » ${period === 'hourly' ? 'depuis une heure' : 'depuis un jour'}.`,
    handling: 'Traitez chaque alerte selon son marquage TLP 2.0 (https://www.first.org/tlp/).',
    report: 'Rapport',
    reporter: 'Signalé par',
    classification: 'Classification',
    severity: 'Gravité',
    reportId: 'Id du rapport',
    indicators: (count) => `Indicateurs (${count})`,
    more: (count) => `… et ${count} de plus`,
    confidence: 'confiance',
    seenBy: (count) => `signalé par ${count} organisation${count === 1 ? '' : 's'}`,
    firstSeen: 'vu pour la première fois',
    lastSeen: 'vu pour la dernière fois',
    footer: 'Vous recevez ce courriel par un canal e-mail de cet abonnement dans Vigia.',
  },
};

/** RSIT classification and type, as the taxonomy writes them (the same in every language). */
const whatOf = (item: WarningMailItem): string =>
  item.report.type ? `${item.report.classification} / ${item.report.type}` : item.report.classification;

/** One warning, marked with its own TLP label. */
function itemText(words: Words, item: WarningMailItem): string {
  const lines = [
    tlpLabel(item.report.tlp),
    `${words.report}: ${item.report.title}`,
    `${words.reporter}: ${item.report.reporterName}`,
    `${words.classification}: ${whatOf(item)}`,
    `${words.severity}: ${severityLabel(words.locale, item.report.severity)}`,
    `${words.reportId}: ${item.report.id}`,
    `${words.indicators(item.indicators.length + item.moreIndicators)}:`,
    ...item.indicators.map((indicator) => {
      const facts = [
        ...(indicator.confidence === null ? [] : [`${words.confidence} ${indicator.confidence}`]),
        words.seenBy(indicator.orgCount),
        ...(indicator.firstSeen ? [`${words.firstSeen} ${indicator.firstSeen}`] : []),
        ...(indicator.lastSeen ? [`${words.lastSeen} ${indicator.lastSeen}`] : []),
      ];
      return `  - ${indicator.type} ${indicator.value} (${facts.join('; ')})`;
    }),
    ...(item.moreIndicators > 0 ? [`  ${words.more(item.moreIndicators)}`] : []),
  ];
  return lines.join('\n');
}

function warningMail(words: Words, item: WarningMailItem): RenderedMail {
  const tlp = tlpLabel(item.report.tlp);
  return {
    subject: words.warningSubject(tlp, whatOf(item), severityLabel(words.locale, item.report.severity)),
    text: [
      tlp,
      '',
      words.intro(item.subscriptionName),
      '',
      itemText(words, item),
      '',
      words.handling,
      '--',
      words.footer,
    ]
      .join('\n')
      .concat('\n'),
  };
}

function digestMail(words: Words, { subscriptionName, period, items }: WarningDigestParams): RenderedMail {
  const tlp = tlpLabel(strictestTlp(items));
  const sections = items.map((item, index) => `[${index + 1}/${items.length}] ${itemText(words, item)}`);
  return {
    subject: words.digestSubject(tlp, items.length, period),
    text: [
      tlp,
      '',
      words.digestIntro(subscriptionName, items.length, period),
      words.handling,
      '',
      sections.join('\n\n'),
      '',
      '--',
      words.footer,
    ]
      .join('\n')
      .concat('\n'),
  };
}

const byLocale = <Params>(render: (words: Words, params: Params) => RenderedMail): MailTemplate<Params> => ({
  en: (params) => render(WORDS.en, params),
  es: (params) => render(WORDS.es, params),
  pt: (params) => render(WORDS.pt, params),
  fr: (params) => render(WORDS.fr, params),
});

/** One early warning, mailed at once. */
export const WARNING_MAIL: MailTemplate<WarningMailItem> = byLocale(warningMail);

/** The warnings of one hour or day, in one mail. */
export const WARNING_DIGEST_MAIL: MailTemplate<WarningDigestParams> = byLocale(digestMail);
