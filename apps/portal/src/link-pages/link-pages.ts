import { MIN_PASSWORD_LENGTH } from '../users/dto/user.dto';
import { LinkPage } from './link-page.html';
import { LINK_PAGE_PATHS } from './link-page-paths';
import { LinkPageTexts } from './link-page-texts';

const MAX_TEXT = 5000;

/** Every page a mailed link opens, in one language, and the API route each of its buttons posts the token to. */
export function linkPages(texts: LinkPageTexts): LinkPage[] {
  const { confirm, verify, applicant, invitation } = texts;
  const password = invitation.password.replace('{min}', String(MIN_PASSWORD_LENGTH));
  return [
    {
      path: LINK_PAGE_PATHS.contactConfirmation,
      title: confirm.title,
      intro: confirm.intro,
      forms: [
        {
          id: 'confirm',
          action: '/api/v1/directory/confirmations',
          button: confirm.button,
          success: confirm.success,
          show: [['confirmed_at', confirm.confirmedAt]],
          once: true,
        },
      ],
    },
    {
      path: LINK_PAGE_PATHS.applicationVerification,
      title: verify.title,
      intro: verify.intro,
      forms: [
        {
          id: 'verify',
          action: '/api/v1/applications/verify',
          button: verify.button,
          success: verify.success,
          show: [
            ['team_name', verify.team],
            ['status', verify.status],
          ],
          once: true,
        },
      ],
    },
    {
      path: LINK_PAGE_PATHS.applicant,
      title: applicant.title,
      intro: applicant.intro,
      forms: [
        {
          id: 'view',
          heading: applicant.view.heading,
          action: '/api/v1/applications/applicant/view',
          button: applicant.view.button,
          success: applicant.view.success,
          show: [
            ['team_name', applicant.view.team],
            ['status', applicant.view.status],
            ['question', applicant.view.question],
          ],
        },
        {
          id: 'answer',
          heading: applicant.answer.heading,
          help: applicant.answer.help,
          action: '/api/v1/applications/applicant/answer',
          button: applicant.answer.button,
          success: applicant.answer.success,
          show: [['status', applicant.answer.status]],
          fields: [
            { name: 'answer', label: applicant.answer.label, kind: 'textarea', required: true, maxLength: MAX_TEXT },
          ],
        },
        {
          id: 'withdraw',
          heading: applicant.withdraw.heading,
          help: applicant.withdraw.help,
          action: '/api/v1/applications/applicant/withdraw',
          button: applicant.withdraw.button,
          success: applicant.withdraw.success,
          show: [['status', applicant.withdraw.status]],
          fields: [
            { name: 'reason', label: applicant.withdraw.reason, kind: 'textarea', maxLength: MAX_TEXT },
            { name: 'sure', label: applicant.withdraw.sure, kind: 'checkbox', required: true },
          ],
          once: true,
        },
      ],
    },
    {
      path: LINK_PAGE_PATHS.invitation,
      title: invitation.title,
      intro: invitation.intro,
      forms: [
        {
          id: 'accept',
          action: '/api/v1/invitations/accept',
          button: invitation.button,
          success: invitation.success,
          fields: [
            {
              name: 'password',
              label: password,
              kind: 'password',
              required: true,
              minLength: MIN_PASSWORD_LENGTH,
              maxLength: 1024,
              autocomplete: 'new-password',
            },
            {
              name: 'password_again',
              label: invitation.again,
              kind: 'password',
              required: true,
              minLength: MIN_PASSWORD_LENGTH,
              maxLength: 1024,
              autocomplete: 'new-password',
            },
          ],
          once: true,
        },
      ],
    },
  ];
}
