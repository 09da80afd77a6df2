import { Injectable, Logger } from '@nestjs/common';
import { OrganisationPrincipal } from '@vigia/auth';
import { loggedError } from '@vigia/common';
import {
  OrganisationRepository,
  ReportRepository,
  StixObjectRepository,
  WebhookDeliveryRepository,
} from '@vigia/database';
import { JobQueueService, QueueDepth } from '@vigia/queue';
import { NetworkHealthDto } from './dto/network-health.dto';
import {
  toCorrelatedIndicatorDto,
  toDailySubmissionsDto,
  toDeliveryHealthDto,
  toMemberFiguresDto,
  toQueueDepthDto,
} from './network-health.mapper';

export const NETWORK_HEALTH_PERIOD_DAYS = 30;
const TOP_CORRELATED = 10;
/** The page must answer while Redis is away: queue depths are then left out rather than waited for. */
const QUEUE_DEPTH_TIMEOUT_MS = 1_000;

/** The coordinator's view of how the network runs (the controller allows no one else). */
@Injectable()
export class NetworkHealthService {
  private readonly logger = new Logger(NetworkHealthService.name);

  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly reports: ReportRepository,
    private readonly stixObjects: StixObjectRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly queues: JobQueueService,
  ) {}

  async figures(principal: OrganisationPrincipal): Promise<NetworkHealthDto> {
    const now = new Date();
    const since = new Date(now.getTime() - NETWORK_HEALTH_PERIOD_DAYS * 24 * 3600_000);
    const [members, submissions, correlated, deliveries, queues] = await Promise.all([
      this.organisations.countMembersByStatusAndCountry(),
      this.reports.dailySubmissions(since),
      // Values only from what the coordinator's own organisation may see: one sharing rule for every figure.
      this.stixObjects.findTopCorrelated(principal.organisationId, since, TOP_CORRELATED),
      this.deliveries.healthByOrganisation(since),
      this.queueDepths(),
    ]);
    return {
      generated_at: now.toISOString(),
      since: since.toISOString(),
      period_days: NETWORK_HEALTH_PERIOD_DAYS,
      members: toMemberFiguresDto(members),
      submissions: submissions.map(toDailySubmissionsDto),
      top_correlated: correlated.map(toCorrelatedIndicatorDto),
      deliveries: deliveries.map(toDeliveryHealthDto),
      queues: queues?.map(toQueueDepthDto) ?? null,
    };
  }

  private async queueDepths(): Promise<QueueDepth[] | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), QUEUE_DEPTH_TIMEOUT_MS);
    });
    try {
      const depths = await Promise.race([this.queues.depths(), timeout]);
      if (!depths) this.logger.warn({ outcome: 'timeout' }, 'queue depths not read');
      return depths;
    } catch (error) {
      this.logger.warn({ err: loggedError(error) }, 'queue depths not read');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
