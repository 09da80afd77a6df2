import { randomUUID } from 'node:crypto';

/** The event type of a test delivery: receivers tell it from a warning (`indicator.warning`) by it and `test`. */
export const WEBHOOK_TEST_EVENT_TYPE = 'webhook.test';

/** The body of a test delivery: signed and sent like a warning, carrying nobody's information. */
export interface WebhookTestEvent {
  id: string;
  type: typeof WEBHOOK_TEST_EVENT_TYPE;
  test: true;
  created_at: string;
  organisation_id: string;
  subscription_ids: string[];
  message: string;
}

/** A new test event for the subscription's owner; its id (`test_…`) is the delivery log's warning column. */
export const buildWebhookTestEvent = (organisationId: string, subscriptionId: string): WebhookTestEvent => ({
  id: `test_${randomUUID()}`,
  type: WEBHOOK_TEST_EVENT_TYPE,
  test: true,
  created_at: new Date().toISOString(),
  organisation_id: organisationId,
  subscription_ids: [subscriptionId],
  message: 'A test delivery from Vigia: the webhook is reachable and its signature can be checked.',
});
