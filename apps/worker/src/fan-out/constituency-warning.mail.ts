import { MailTemplate, severityLabel } from '@vigia/mail';
import { WarningEnvelope } from '@vigia/warning-stream';

/** What a constituency warning mail says: the warning, with its values only when they may travel in it. */
export interface ConstituencyWarningMail {
  warning: WarningEnvelope;
  /** The matching values; null when the report's TLP keeps them out of a mail that is not encrypted. */
  values: string[] | null;
}

const lines = (...parts: (string | false)[]): string => parts.filter((part) => part !== false).join('\n');
const valueList = (values: string[]): string => values.map((value) => `  - ${value}`).join('\n');

/**
 * A report another member shared names values in the recipient's constituency. Subjects carry no values (they go out
 * in clear); the body lists them only when it is encrypted or the report is TLP:CLEAR or GREEN.
 */
export const CONSTITUENCY_WARNING_MAIL: MailTemplate<ConstituencyWarningMail> = {
  en: ({ warning: { id, report }, values }) => ({
    subject: `[Vigia] Warning of ${severityLabel('en', report.severity)} severity about your constituency (TLP:${report.tlp.toUpperCase()})`,
    text: lines(
      `${report.reporter.name} reported values that lie in your constituency as registered in the Vigia directory.`,
      '',
      `Report: ${report.title}`,
      `Classification: ${report.classification}${report.type ? ` / ${report.type}` : ''}`,
      `Severity: ${severityLabel('en', report.severity)}`,
      `TLP: ${report.tlp.toUpperCase()} (share only as this level allows)`,
      '',
      values ? `Values in your constituency:\n${valueList(values)}` : 'Sign in to Vigia to see the values.',
      '',
      `Warning ${id}, report ${report.id}. You receive this as a 24/7 contact; your organisation's administrators`,
      'choose the channels and the minimum severity of constituency warnings in Vigia.',
    ),
  }),
  es: ({ warning: { id, report }, values }) => ({
    subject: `[Vigia] Alerta de severidad ${severityLabel('es', report.severity)} sobre su comunidad atendida (TLP:${report.tlp.toUpperCase()})`,
    text: lines(
      `${report.reporter.name} reportó valores que pertenecen a su comunidad atendida según el directorio de Vigia.`,
      '',
      `Reporte: ${report.title}`,
      `Clasificación: ${report.classification}${report.type ? ` / ${report.type}` : ''}`,
      `Severidad: ${severityLabel('es', report.severity)}`,
      `TLP: ${report.tlp.toUpperCase()} (compártalo solo como ese nivel lo permite)`,
      '',
      values
        ? `Valores en su comunidad atendida:\n${valueList(values)}`
        : 'Inicie sesión en Vigia para ver los valores.',
      '',
      `Alerta ${id}, reporte ${report.id}. Recibe este correo como contacto 24/7; los administradores de su`,
      'organización eligen en Vigia los canales y la severidad mínima de estas alertas.',
    ),
  }),
  pt: ({ warning: { id, report }, values }) => ({
    subject: `[Vigia] Alerta de severidade ${severityLabel('pt', report.severity)} sobre a sua comunidade atendida (TLP:${report.tlp.toUpperCase()})`,
    text: lines(
      `${report.reporter.name} reportou valores que pertencem à sua comunidade atendida segundo o diretório do Vigia.`,
      '',
      `Relatório: ${report.title}`,
      `Classificação: ${report.classification}${report.type ? ` / ${report.type}` : ''}`,
      `Severidade: ${severityLabel('pt', report.severity)}`,
      `TLP: ${report.tlp.toUpperCase()} (partilhe apenas como esse nível permite)`,
      '',
      values ? `Valores na sua comunidade atendida:\n${valueList(values)}` : 'Entre no Vigia para ver os valores.',
      '',
      `Alerta ${id}, relatório ${report.id}. Recebe este e-mail como contacto 24/7; os administradores da sua`,
      'organização escolhem no Vigia os canais e a severidade mínima destes alertas.',
    ),
  }),
  fr: ({ warning: { id, report }, values }) => ({
    subject: `[Vigia] Alerte de gravité ${severityLabel('fr', report.severity)} concernant votre périmètre (TLP:${report.tlp.toUpperCase()})`,
    text: lines(
      `${report.reporter.name} a signalé des valeurs de votre périmètre tel qu'il figure dans l'annuaire de Vigia.`,
      '',
      `Rapport : ${report.title}`,
      `Classification : ${report.classification}${report.type ? ` / ${report.type}` : ''}`,
      `Gravité : ${severityLabel('fr', report.severity)}`,
      `TLP : ${report.tlp.toUpperCase()} (à ne partager que dans les limites de ce niveau)`,
      '',
      values ? `Valeurs de votre périmètre :\n${valueList(values)}` : 'Connectez-vous à Vigia pour voir les valeurs.',
      '',
      `Alerte ${id}, rapport ${report.id}. Vous recevez ce message en tant que contact 24/7 ; les administrateurs de`,
      'votre organisation choisissent dans Vigia les canaux et la gravité minimale de ces alertes.',
    ),
  }),
};
