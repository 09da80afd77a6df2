import { MailTemplate } from '@vigia/mail';

// The mails of admission, in the network's languages. Subjects carry the team's name only; bodies carry links with
// one-time tokens and the coordinator's reasons, never other applicants' data.

export interface VerificationMailParams {
  teamName: string;
  link: string;
  expiresAt: Date;
}

export interface ReceivedMailParams {
  teamName: string;
  /** The applicant's page: answer questions, withdraw. */
  link: string;
  targetWorkingDays: number;
}

export interface InformationRequestedMailParams {
  teamName: string;
  question: string;
  link: string;
}

export interface RejectedMailParams {
  teamName: string;
  reason: string;
}

export interface ApprovedMailParams {
  teamName: string;
  /** The first org-admin's one-time invitation link. */
  link: string;
  expiresAt: Date;
}

const day = (date: Date): string => date.toISOString().slice(0, 10);
const quoted = (text: string): string =>
  text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

export const APPLICATION_VERIFICATION_MAIL: MailTemplate<VerificationMailParams> = {
  en: ({ teamName, link, expiresAt }) => ({
    subject: `Confirm your e-mail address: application of ${teamName}`,
    text:
      `We received an application for ${teamName} to join the CSIRT network.\n\n` +
      `Confirm your e-mail address to send it to review (the link works once, until ${day(expiresAt)}):\n${link}\n\n` +
      'If you did not apply, ignore this mail: nothing happens without the confirmation.\n',
  }),
  es: ({ teamName, link, expiresAt }) => ({
    subject: `Confirme su dirección de correo: solicitud de ${teamName}`,
    text:
      `Recibimos una solicitud para que ${teamName} se una a la red de CSIRT.\n\n` +
      `Confirme su dirección de correo para enviarla a revisión (el enlace sirve una vez, hasta el ${day(expiresAt)}):\n${link}\n\n` +
      'Si usted no presentó esta solicitud, ignore este correo: sin la confirmación no ocurre nada.\n',
  }),
  pt: ({ teamName, link, expiresAt }) => ({
    subject: `Confirme o seu endereço de e-mail: candidatura de ${teamName}`,
    text:
      `Recebemos uma candidatura para que ${teamName} se junte à rede de CSIRTs.\n\n` +
      `Confirme o seu endereço de e-mail para enviá-la à análise (o link funciona uma vez, até ${day(expiresAt)}):\n${link}\n\n` +
      'Se não se candidatou, ignore este e-mail: nada acontece sem a confirmação.\n',
  }),
  fr: ({ teamName, link, expiresAt }) => ({
    subject: `Confirmez votre adresse e-mail : candidature de ${teamName}`,
    text:
      `Nous avons reçu une candidature de ${teamName} pour rejoindre le réseau des CSIRT.\n\n` +
      `Confirmez votre adresse e-mail pour la soumettre à l’examen (le lien fonctionne une fois, jusqu’au ${day(expiresAt)}) :\n${link}\n\n` +
      'Si vous n’avez pas posé de candidature, ignorez ce message : rien ne se passe sans la confirmation.\n',
  }),
};

export const APPLICATION_RECEIVED_MAIL: MailTemplate<ReceivedMailParams> = {
  en: ({ teamName, link, targetWorkingDays }) => ({
    subject: `Application of ${teamName}: in review`,
    text:
      `Thank you: the application of ${teamName} is confirmed and goes to review. The network aims to decide within ` +
      `${targetWorkingDays} working days; member teams may sponsor it meanwhile.\n\n` +
      `Your application's page (keep this link private; it lets you withdraw the application):\n${link}\n`,
  }),
  es: ({ teamName, link, targetWorkingDays }) => ({
    subject: `Solicitud de ${teamName}: en revisión`,
    text:
      `Gracias: la solicitud de ${teamName} está confirmada y pasa a revisión. La red busca decidir en ` +
      `${targetWorkingDays} días hábiles; mientras tanto, los equipos miembros pueden avalarla.\n\n` +
      `La página de su solicitud (mantenga este enlace en privado; permite retirar la solicitud):\n${link}\n`,
  }),
  pt: ({ teamName, link, targetWorkingDays }) => ({
    subject: `Candidatura de ${teamName}: em análise`,
    text:
      `Obrigado: a candidatura de ${teamName} está confirmada e segue para análise. A rede procura decidir em ` +
      `${targetWorkingDays} dias úteis; entretanto, as equipas membros podem apoiá-la.\n\n` +
      `A página da sua candidatura (mantenha este link privado; permite retirar a candidatura):\n${link}\n`,
  }),
  fr: ({ teamName, link, targetWorkingDays }) => ({
    subject: `Candidature de ${teamName} : en cours d’examen`,
    text:
      `Merci : la candidature de ${teamName} est confirmée et passe à l’examen. Le réseau vise une décision en ` +
      `${targetWorkingDays} jours ouvrés ; les équipes membres peuvent la parrainer entre-temps.\n\n` +
      `La page de votre candidature (gardez ce lien pour vous ; il permet de retirer la candidature) :\n${link}\n`,
  }),
};

export const APPLICATION_INFORMATION_REQUESTED_MAIL: MailTemplate<InformationRequestedMailParams> = {
  en: ({ teamName, question, link }) => ({
    subject: `Application of ${teamName}: the coordinator asks for information`,
    text:
      `The network's coordinator reviewing the application of ${teamName} asks:\n\n${quoted(question)}\n\n` +
      `Answer on your application's page (this link replaces earlier ones):\n${link}\n`,
  }),
  es: ({ teamName, question, link }) => ({
    subject: `Solicitud de ${teamName}: la coordinación pide información`,
    text:
      `La coordinación de la red que revisa la solicitud de ${teamName} pregunta:\n\n${quoted(question)}\n\n` +
      `Responda en la página de su solicitud (este enlace reemplaza a los anteriores):\n${link}\n`,
  }),
  pt: ({ teamName, question, link }) => ({
    subject: `Candidatura de ${teamName}: a coordenação pede informações`,
    text:
      `A coordenação da rede que analisa a candidatura de ${teamName} pergunta:\n\n${quoted(question)}\n\n` +
      `Responda na página da sua candidatura (este link substitui os anteriores):\n${link}\n`,
  }),
  fr: ({ teamName, question, link }) => ({
    subject: `Candidature de ${teamName} : la coordination demande des informations`,
    text:
      `La coordination du réseau qui examine la candidature de ${teamName} demande :\n\n${quoted(question)}\n\n` +
      `Répondez sur la page de votre candidature (ce lien remplace les précédents) :\n${link}\n`,
  }),
};

export const APPLICATION_REJECTED_MAIL: MailTemplate<RejectedMailParams> = {
  en: ({ teamName, reason }) => ({
    subject: `Application of ${teamName}: not accepted`,
    text: `The network's coordinator did not accept the application of ${teamName}, for this reason:\n\n${quoted(reason)}\n`,
  }),
  es: ({ teamName, reason }) => ({
    subject: `Solicitud de ${teamName}: no aceptada`,
    text: `La coordinación de la red no aceptó la solicitud de ${teamName}, por este motivo:\n\n${quoted(reason)}\n`,
  }),
  pt: ({ teamName, reason }) => ({
    subject: `Candidatura de ${teamName}: não aceite`,
    text: `A coordenação da rede não aceitou a candidatura de ${teamName}, por este motivo:\n\n${quoted(reason)}\n`,
  }),
  fr: ({ teamName, reason }) => ({
    subject: `Candidature de ${teamName} : non retenue`,
    text: `La coordination du réseau n’a pas retenu la candidature de ${teamName}, pour cette raison :\n\n${quoted(reason)}\n`,
  }),
};

export const APPLICATION_APPROVED_MAIL: MailTemplate<ApprovedMailParams> = {
  en: ({ teamName, link, expiresAt }) => ({
    subject: `Welcome to the network, ${teamName}`,
    text:
      `The application of ${teamName} is approved. You are its first administrator: set your password with this ` +
      `one-time link (valid until ${day(expiresAt)}), then enrol a second factor and create your API keys:\n${link}\n`,
  }),
  es: ({ teamName, link, expiresAt }) => ({
    subject: `Bienvenidos a la red, ${teamName}`,
    text:
      `La solicitud de ${teamName} fue aprobada. Usted es su primer administrador: defina su contraseña con este ` +
      `enlace de un solo uso (válido hasta el ${day(expiresAt)}), luego active un segundo factor y cree sus claves de API:\n${link}\n`,
  }),
  pt: ({ teamName, link, expiresAt }) => ({
    subject: `Bem-vindos à rede, ${teamName}`,
    text:
      `A candidatura de ${teamName} foi aprovada. É o seu primeiro administrador: defina a sua palavra-passe com este ` +
      `link de uso único (válido até ${day(expiresAt)}), depois ative um segundo fator e crie as suas chaves de API:\n${link}\n`,
  }),
  fr: ({ teamName, link, expiresAt }) => ({
    subject: `Bienvenue dans le réseau, ${teamName}`,
    text:
      `La candidature de ${teamName} est acceptée. Vous en êtes le premier administrateur : définissez votre mot de ` +
      `passe avec ce lien à usage unique (valable jusqu’au ${day(expiresAt)}), puis activez un second facteur et créez vos clés d’API :\n${link}\n`,
  }),
};
