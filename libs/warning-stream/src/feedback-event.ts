/** A member's sighting of, or feedback on, an indicator another organisation shared: told to who shared it. */
export const FEEDBACK_EVENT_TYPE = 'indicator.feedback';
export type FeedbackEventType = typeof FEEDBACK_EVENT_TYPE;

export const FEEDBACK_ID_PREFIX = 'fbk_';

export type FeedbackKind = 'sighting' | 'false-positive' | 'confirmed';

/**
 * One sighting or feedback for one organisation that shared the indicator: the same JSON is a webhook body (event
 * type `indicator.feedback`), an entry of the organisation's stream and the content of its mail.
 */
export interface IndicatorFeedbackEvent {
  /** `fbk_` + a UUID fixed per (feedback, recipient): a retried delivery is the same event. */
  id: string;
  type: FeedbackEventType;
  created_at: string;
  /** The recipient: an organisation that reported the indicator. */
  organisation_id: string;
  feedback: {
    /** The STIX sighting or opinion. */
    stix_id: string;
    kind: FeedbackKind;
    /** The TLP the member chose for it. */
    tlp: string;
    organisation: { id: string; name: string };
    comment: string | null;
    /** Sightings: how often, when, and whether in the member's own constituency. */
    count?: number;
    first_seen?: string | null;
    last_seen?: string | null;
    where?: 'constituency' | 'elsewhere';
  };
  indicator: {
    stix_id: string;
    type: string;
    value: string;
    tlp: string;
    score: number;
    false_positive_org_count: number;
    /** Past the false-positive threshold: it raises no warning any more. */
    suppressed: boolean;
  };
  /** This feedback took it past the threshold. */
  suppressed_now: boolean;
  /** The STIX sighting or opinion object. */
  object: Record<string, unknown>;
}
