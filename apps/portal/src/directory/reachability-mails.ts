import { MailTemplate } from '@vigia/mail';

// The reachability check mail, in the network's languages. The subject names the organisation only; the body carries
// the contact's one-time confirmation link.

export interface ReachabilityMailParams {
  contactName: string;
  organisationName: string;
  link: string;
  respondBy: Date;
}

const moment = (date: Date): string => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export const REACHABILITY_CHECK_MAIL: MailTemplate<ReachabilityMailParams> = {
  en: ({ contactName, organisationName, link, respondBy }) => ({
    subject: `Reachability check: 24/7 contact of ${organisationName}`,
    text:
      `Hello ${contactName},\n\n` +
      `The CSIRT network's coordinator is checking that every 24/7 contact in its directory is reachable. You are ` +
      `listed as a 24/7 contact of ${organisationName}.\n\n` +
      `Please confirm by ${moment(respondBy)} by opening this link (it works for you only):\n${link}\n\n` +
      'If you are no longer this contact, tell your organisation so it updates its directory entry.\n',
  }),
  es: ({ contactName, organisationName, link, respondBy }) => ({
    subject: `Verificación de disponibilidad: contacto 24/7 de ${organisationName}`,
    text:
      `Hola ${contactName}:\n\n` +
      'La coordinación de la red de CSIRT está verificando que cada contacto 24/7 de su directorio responde. ' +
      `Usted figura como contacto 24/7 de ${organisationName}.\n\n` +
      `Confirme antes del ${moment(respondBy)} abriendo este enlace (es solo para usted):\n${link}\n\n` +
      'Si ya no es este contacto, avise a su organización para que actualice su entrada en el directorio.\n',
  }),
  pt: ({ contactName, organisationName, link, respondBy }) => ({
    subject: `Verificação de disponibilidade: contato 24/7 de ${organisationName}`,
    text:
      `Olá ${contactName},\n\n` +
      'A coordenação da rede de CSIRTs está verificando se cada contato 24/7 do diretório responde. ' +
      `Você consta como contato 24/7 de ${organisationName}.\n\n` +
      `Confirme até ${moment(respondBy)} abrindo este link (é só para você):\n${link}\n\n` +
      'Se você não é mais este contato, avise sua organização para que atualize a entrada no diretório.\n',
  }),
  fr: ({ contactName, organisationName, link, respondBy }) => ({
    subject: `Vérification de joignabilité : contact 24/7 de ${organisationName}`,
    text:
      `Bonjour ${contactName},\n\n` +
      'La coordination du réseau de CSIRT vérifie que chaque contact 24/7 de son annuaire est joignable. ' +
      `Vous êtes inscrit comme contact 24/7 de ${organisationName}.\n\n` +
      `Merci de confirmer avant le ${moment(respondBy)} en ouvrant ce lien (il vous est personnel) :\n${link}\n\n` +
      'Si vous n’êtes plus ce contact, prévenez votre organisation pour qu’elle mette à jour son entrée.\n',
  }),
};
