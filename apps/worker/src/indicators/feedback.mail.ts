import { MailTemplate } from '@vigia/mail';
import { IndicatorFeedbackEvent } from '@vigia/warning-stream';

/** Mail category of feedback told to the organisations that shared an indicator (kept apart from warnings). */
export const INDICATOR_FEEDBACK_MAIL_CATEGORY = 'indicator-feedback';

/** What a feedback mail says: the event, with the value only when it may travel in the mail. */
export interface IndicatorFeedbackMail {
  event: IndicatorFeedbackEvent;
  /** Null when neither the indicator's nor the feedback's TLP lets the value go in a mail that is not encrypted. */
  value: string | null;
}

const lines = (...parts: (string | false)[]): string => parts.filter((part) => part !== false).join('\n');

type Words = Record<'sighting' | 'false-positive' | 'confirmed', string>;

/** Subjects carry no values (they go out in clear), only who said what under which TLP. */
const template =
  (
    kinds: Words,
    subject: (who: string, kind: string, tlp: string) => string,
    labels: { indicator: string; comment: string; score: string; suppressed: string; signIn: string; footer: string },
  ) =>
  ({ event, value }: IndicatorFeedbackMail) => {
    const { feedback, indicator } = event;
    return {
      subject: subject(feedback.organisation.name, kinds[feedback.kind], feedback.tlp.toUpperCase()),
      text: lines(
        `${feedback.organisation.name}: ${kinds[feedback.kind]} (TLP:${feedback.tlp.toUpperCase()})`,
        '',
        `${labels.indicator}: ${indicator.type} ${value ?? labels.signIn}`,
        feedback.comment !== null && `${labels.comment}: ${feedback.comment}`,
        `${labels.score}: ${indicator.score}`,
        event.suppressed_now && labels.suppressed,
        '',
        `${labels.footer} ${indicator.stix_id}`,
      ),
    };
  };

/** Feedback on an indicator the recipient shared: in the contact's language. */
export const INDICATOR_FEEDBACK_MAIL: MailTemplate<IndicatorFeedbackMail> = {
  en: template(
    { sighting: 'sighted it too', 'false-positive': 'reports a false positive', confirmed: 'confirms it' },
    (who, kind, tlp) => `[Vigia] ${who} ${kind} on an indicator you shared (TLP:${tlp})`,
    {
      indicator: 'Indicator',
      comment: 'Comment',
      score: 'Score now',
      suppressed: 'Enough members reported it as a false positive: it raises no more warnings.',
      signIn: '(sign in to Vigia to see the value)',
      footer: 'You receive this as a 24/7 contact of an organisation that shared the indicator',
    },
  ),
  es: template(
    { sighting: 'también lo observó', 'false-positive': 'indica un falso positivo', confirmed: 'lo confirma' },
    (who, kind, tlp) => `[Vigia] ${who} ${kind} sobre un indicador que usted compartió (TLP:${tlp})`,
    {
      indicator: 'Indicador',
      comment: 'Comentario',
      score: 'Puntuación actual',
      suppressed: 'Suficientes miembros lo señalaron como falso positivo: ya no genera alertas.',
      signIn: '(inicie sesión en Vigia para ver el valor)',
      footer: 'Recibe este correo como contacto 24/7 de una organización que compartió el indicador',
    },
  ),
  pt: template(
    { sighting: 'também o observou', 'false-positive': 'indica um falso positivo', confirmed: 'confirma-o' },
    (who, kind, tlp) => `[Vigia] ${who} ${kind} sobre um indicador que partilhou (TLP:${tlp})`,
    {
      indicator: 'Indicador',
      comment: 'Comentário',
      score: 'Pontuação atual',
      suppressed: 'Membros suficientes indicaram-no como falso positivo: já não gera alertas.',
      signIn: '(entre no Vigia para ver o valor)',
      footer: 'Recebe este e-mail como contacto 24/7 de uma organização que partilhou o indicador',
    },
  ),
  fr: template(
    { sighting: "l'a aussi observé", 'false-positive': 'signale un faux positif', confirmed: 'le confirme' },
    (who, kind, tlp) => `[Vigia] ${who} ${kind} sur un indicateur que vous avez partagé (TLP:${tlp})`,
    {
      indicator: 'Indicateur',
      comment: 'Commentaire',
      score: 'Score actuel',
      suppressed: "Assez de membres l'ont signalé comme faux positif : il ne déclenche plus d'alerte.",
      signIn: '(connectez-vous à Vigia pour voir la valeur)',
      footer: "Vous recevez ce message en tant que contact 24/7 d'une organisation qui a partagé l'indicateur",
    },
  ),
};
