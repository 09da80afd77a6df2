import { MIN_PASSWORD_LENGTH } from '../users/dto/user.dto';
import { LinkPage } from './link-page.html';
import { LINK_PAGE_PATHS } from './link-page-paths';

const MAX_TEXT = 5000;

/** Every page a mailed link opens, and the API route each of its buttons posts the token to. */
export const LINK_PAGES: readonly LinkPage[] = [
  {
    path: LINK_PAGE_PATHS.contactConfirmation,
    title: 'Confirm this 24/7 contact is reachable',
    intro:
      'The network coordinator checks that every 24/7 contact in the directory can be reached. Press the button to ' +
      'confirm that this contact is.',
    forms: [
      {
        id: 'confirm',
        action: '/api/v1/directory/confirmations',
        button: 'Confirm',
        success: 'Thank you: the contact is confirmed.',
        show: [['confirmed_at', 'Confirmed at']],
        once: true,
      },
    ],
  },
  {
    path: LINK_PAGE_PATHS.applicationVerification,
    title: 'Confirm your e-mail address',
    intro:
      'Your team applied to join the network with this address. Press the button to confirm it; review starts then, ' +
      'and a link to follow your application comes by mail.',
    forms: [
      {
        id: 'verify',
        action: '/api/v1/applications/verify',
        button: 'Confirm my address',
        success: 'Your address is confirmed. A link to follow your application is on its way by mail.',
        show: [
          ['team_name', 'Team'],
          ['status', 'Status'],
        ],
        once: true,
      },
    ],
  },
  {
    path: LINK_PAGE_PATHS.applicant,
    title: 'Your application to join the network',
    intro: 'Follow your application, answer the coordinator’s questions, or withdraw it.',
    forms: [
      {
        id: 'view',
        heading: 'Where it stands',
        action: '/api/v1/applications/applicant/view',
        button: 'Show my application',
        success: 'Your application:',
        show: [
          ['team_name', 'Team'],
          ['status', 'Status'],
          ['question', 'The coordinator asks'],
        ],
      },
      {
        id: 'answer',
        heading: 'Answer the coordinator',
        help: 'Only when the coordinator asked for information; your answer puts the application back in review.',
        action: '/api/v1/applications/applicant/answer',
        button: 'Send my answer',
        success: 'Your answer was sent; the application is back in review.',
        show: [['status', 'Status']],
        fields: [{ name: 'answer', label: 'Your answer', kind: 'textarea', required: true, maxLength: MAX_TEXT }],
      },
      {
        id: 'withdraw',
        heading: 'Withdraw the application',
        help: 'The application is closed for good, and this link stops working.',
        action: '/api/v1/applications/applicant/withdraw',
        button: 'Withdraw the application',
        success: 'The application is withdrawn.',
        show: [['status', 'Status']],
        fields: [
          { name: 'reason', label: 'Why (optional)', kind: 'textarea', maxLength: MAX_TEXT },
          { name: 'sure', label: 'I want to withdraw the application', kind: 'checkbox', required: true },
        ],
        once: true,
      },
    ],
  },
  {
    path: LINK_PAGE_PATHS.invitation,
    title: 'Set your password',
    intro:
      'You were invited to the network’s portal. Choose a password to activate your account; coordinators and ' +
      'organisation administrators then set up a second factor (TOTP) when they first sign in.',
    forms: [
      {
        id: 'accept',
        action: '/api/v1/invitations/accept',
        button: 'Set my password',
        success: 'Your password is set: you can sign in now.',
        fields: [
          {
            name: 'password',
            label: `Password (at least ${MIN_PASSWORD_LENGTH} characters)`,
            kind: 'password',
            required: true,
            minLength: MIN_PASSWORD_LENGTH,
            maxLength: 1024,
            autocomplete: 'new-password',
          },
          {
            name: 'password_again',
            label: 'The same password again',
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
