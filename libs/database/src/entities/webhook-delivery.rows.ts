import { WebhookDeliveryStatus } from './webhook-delivery.entity';

/** A delivery as its owner lists it. */
export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  warning_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  delivered_at: Date | null;
  dead_at: Date | null;
  /** created_at to the microsecond, for page cursors. */
  created_at_exact: string;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  attempted_at: Date;
}

/** A delivery as the handler needs it: its body, where to send it and with which secrets. */
export interface DeliveryToSend {
  id: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  payload: object;
  endpointId: string;
  url: string;
  /** The current secret, then the previous one while its grace period lasts. */
  secrets: string[];
  endpointDisabled: boolean;
  /** The recipient is an active member: nothing is sent to a suspended one. */
  recipientActive: boolean;
}

/** The state an attempt leaves its delivery in. */
export interface AttemptRecord {
  deliveryId: string;
  /** 1-based number of this attempt. */
  attempt: number;
  status: WebhookDeliveryStatus;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  nextAttemptAt: Date | null;
}

/** One warning for one webhook endpoint of its recipient, to deliver. */
export interface NewDelivery {
  endpointId: string;
  /** The recipient; must own the endpoint. */
  organisationId: string;
  warningId: string;
  eventType: string;
  /** The warning envelope, sent as the body. */
  payload: object;
}

/** A delivery row as scheduling left it. */
export interface ScheduledDelivery {
  id: string;
  status: WebhookDeliveryStatus;
  replays: number;
}

/** How one organisation's webhook deliveries went over a period: outcomes and the receivers' latency. */
export interface DeliveryHealthRow {
  organisationId: string;
  organisationName: string;
  deliveries: number;
  delivered: number;
  dead: number;
  /** Pending, or failed with another attempt due. */
  open: number;
  attempts: number;
  /** Attempts the receiver answered with a 2xx. */
  successfulAttempts: number;
  averageLatencyMs: number | null;
  p95LatencyMs: number | null;
}
