import { MailLocale } from '@vigia/mail';

/** Every word of the link pages in one language (the network's: those of its mails). */
export interface LinkPageTexts {
  lang: MailLocale;
  noScript: string;
  noToken: string;
  /** Said by the script. */
  passwordsDiffer: string;
  unreachable: string;
  /** `{status}` is the HTTP status. */
  failed: string;
  confirm: { title: string; intro: string; button: string; success: string; confirmedAt: string };
  verify: { title: string; intro: string; button: string; success: string; team: string; status: string };
  applicant: {
    title: string;
    intro: string;
    view: { heading: string; button: string; success: string; team: string; status: string; question: string };
    answer: { heading: string; help: string; label: string; button: string; success: string; status: string };
    withdraw: {
      heading: string;
      help: string;
      reason: string;
      sure: string;
      button: string;
      success: string;
      status: string;
    };
  };
  invitation: {
    title: string;
    intro: string;
    /** `{min}` is the least number of characters. */
    password: string;
    again: string;
    button: string;
    success: string;
  };
}

export const LINK_PAGE_TEXTS: Record<MailLocale, LinkPageTexts> = {
  en: {
    lang: 'en',
    noScript: 'This page needs JavaScript to send your answer.',
    noToken:
      'This page opens from the link in your mail, and the link’s token is missing here. Open the link from the mail again.',
    passwordsDiffer: 'The two passwords differ.',
    unreachable: 'The portal could not be reached. Try again in a moment.',
    failed: 'The request failed (HTTP {status}).',
    confirm: {
      title: 'Confirm this 24/7 contact is reachable',
      intro:
        'The network coordinator checks that every 24/7 contact in the directory can be reached. Press the button ' +
        'to confirm that this contact is.',
      button: 'Confirm',
      success: 'Thank you: the contact is confirmed.',
      confirmedAt: 'Confirmed at',
    },
    verify: {
      title: 'Confirm your e-mail address',
      intro:
        'Your team applied to join the network with this address. Press the button to confirm it; review starts ' +
        'then, and a link to follow your application comes by mail.',
      button: 'Confirm my address',
      success: 'Your address is confirmed. A link to follow your application is on its way by mail.',
      team: 'Team',
      status: 'Status',
    },
    applicant: {
      title: 'Your application to join the network',
      intro: 'Follow your application, answer the coordinator’s questions, or withdraw it.',
      view: {
        heading: 'Where it stands',
        button: 'Show my application',
        success: 'Your application:',
        team: 'Team',
        status: 'Status',
        question: 'The coordinator asks',
      },
      answer: {
        heading: 'Answer the coordinator',
        help: 'Only when the coordinator asked for information; your answer puts the application back in review.',
        label: 'Your answer',
        button: 'Send my answer',
        success: 'Your answer was sent; the application is back in review.',
        status: 'Status',
      },
      withdraw: {
        heading: 'Withdraw the application',
        help: 'The application is closed for good, and this link stops working.',
        reason: 'Why (optional)',
        sure: 'I want to withdraw the application',
        button: 'Withdraw the application',
        success: 'The application is withdrawn.',
        status: 'Status',
      },
    },
    invitation: {
      title: 'Set your password',
      intro:
        'You were invited to the network’s portal. Choose a password to activate your account; coordinators and ' +
        'organisation administrators then set up a second factor (TOTP) when they first sign in.',
      password: 'Password (at least {min} characters)',
      again: 'The same password again',
      button: 'Set my password',
      success: 'Your password is set: you can sign in now.',
    },
  },
  es: {
    lang: 'es',
    noScript: 'Esta página necesita JavaScript para enviar su respuesta.',
    noToken:
      'Esta página se abre desde el enlace de su correo, y aquí falta el código del enlace. Vuelva a abrir el ' +
      'enlace desde el correo.',
    passwordsDiffer: 'Las dos contraseñas no coinciden.',
    unreachable: 'No se pudo contactar con el portal. Inténtelo de nuevo en un momento.',
    failed: 'La solicitud falló (HTTP {status}).',
    confirm: {
      title: 'Confirme que este contacto 24/7 está disponible',
      intro:
        'La coordinación de la red verifica que cada contacto 24/7 del directorio pueda ser contactado. Pulse el ' +
        'botón para confirmar que este lo está.',
      button: 'Confirmar',
      success: 'Gracias: el contacto quedó confirmado.',
      confirmedAt: 'Confirmado el',
    },
    verify: {
      title: 'Confirme su dirección de correo',
      intro:
        'Su equipo solicitó unirse a la red con esta dirección. Pulse el botón para confirmarla; entonces comienza ' +
        'la revisión, y recibirá por correo un enlace para seguir su solicitud.',
      button: 'Confirmar mi dirección',
      success: 'Su dirección quedó confirmada. Le enviamos por correo un enlace para seguir su solicitud.',
      team: 'Equipo',
      status: 'Estado',
    },
    applicant: {
      title: 'Su solicitud para unirse a la red',
      intro: 'Siga su solicitud, responda las preguntas de la coordinación o retírela.',
      view: {
        heading: 'En qué estado está',
        button: 'Ver mi solicitud',
        success: 'Su solicitud:',
        team: 'Equipo',
        status: 'Estado',
        question: 'La coordinación pregunta',
      },
      answer: {
        heading: 'Responder a la coordinación',
        help: 'Solo cuando la coordinación pidió información; su respuesta vuelve a poner la solicitud en revisión.',
        label: 'Su respuesta',
        button: 'Enviar mi respuesta',
        success: 'Su respuesta fue enviada; la solicitud vuelve a estar en revisión.',
        status: 'Estado',
      },
      withdraw: {
        heading: 'Retirar la solicitud',
        help: 'La solicitud se cierra definitivamente y este enlace deja de funcionar.',
        reason: 'Motivo (opcional)',
        sure: 'Quiero retirar la solicitud',
        button: 'Retirar la solicitud',
        success: 'La solicitud fue retirada.',
        status: 'Estado',
      },
    },
    invitation: {
      title: 'Elija su contraseña',
      intro:
        'Fue invitado al portal de la red. Elija una contraseña para activar su cuenta; la coordinación y los ' +
        'administradores de organización configuran luego un segundo factor (TOTP) al iniciar sesión por primera vez.',
      password: 'Contraseña (al menos {min} caracteres)',
      again: 'La misma contraseña otra vez',
      button: 'Guardar mi contraseña',
      success: 'Su contraseña quedó guardada: ya puede iniciar sesión.',
    },
  },
  pt: {
    lang: 'pt',
    noScript: 'Esta página precisa de JavaScript para enviar a sua resposta.',
    noToken:
      'Esta página abre-se a partir do link do seu e-mail, e falta aqui o código do link. Abra novamente o link ' +
      'do e-mail.',
    passwordsDiffer: 'As duas senhas são diferentes.',
    unreachable: 'Não foi possível contactar o portal. Tente novamente dentro de momentos.',
    failed: 'O pedido falhou (HTTP {status}).',
    confirm: {
      title: 'Confirme que este contato 24/7 está disponível',
      intro:
        'A coordenação da rede verifica que cada contato 24/7 do diretório pode ser contactado. Carregue no botão ' +
        'para confirmar que este está.',
      button: 'Confirmar',
      success: 'Obrigado: o contato está confirmado.',
      confirmedAt: 'Confirmado em',
    },
    verify: {
      title: 'Confirme o seu endereço de e-mail',
      intro:
        'A sua equipa candidatou-se à rede com este endereço. Carregue no botão para o confirmar; a análise começa ' +
        'então, e receberá por e-mail um link para acompanhar a candidatura.',
      button: 'Confirmar o meu endereço',
      success: 'O seu endereço está confirmado. Um link para acompanhar a candidatura segue por e-mail.',
      team: 'Equipa',
      status: 'Estado',
    },
    applicant: {
      title: 'A sua candidatura à rede',
      intro: 'Acompanhe a candidatura, responda às perguntas da coordenação ou retire-a.',
      view: {
        heading: 'Em que ponto está',
        button: 'Ver a minha candidatura',
        success: 'A sua candidatura:',
        team: 'Equipa',
        status: 'Estado',
        question: 'A coordenação pergunta',
      },
      answer: {
        heading: 'Responder à coordenação',
        help: 'Só quando a coordenação pediu informações; a sua resposta devolve a candidatura à análise.',
        label: 'A sua resposta',
        button: 'Enviar a minha resposta',
        success: 'A sua resposta foi enviada; a candidatura voltou à análise.',
        status: 'Estado',
      },
      withdraw: {
        heading: 'Retirar a candidatura',
        help: 'A candidatura fica encerrada de vez, e este link deixa de funcionar.',
        reason: 'Motivo (opcional)',
        sure: 'Quero retirar a candidatura',
        button: 'Retirar a candidatura',
        success: 'A candidatura foi retirada.',
        status: 'Estado',
      },
    },
    invitation: {
      title: 'Defina a sua senha',
      intro:
        'Foi convidado para o portal da rede. Escolha uma senha para ativar a sua conta; coordenadores e ' +
        'administradores de organização configuram depois um segundo fator (TOTP) no primeiro início de sessão.',
      password: 'Senha (pelo menos {min} caracteres)',
      again: 'A mesma senha outra vez',
      button: 'Definir a minha senha',
      success: 'A sua senha está definida: já pode iniciar sessão.',
    },
  },
  fr: {
    lang: 'fr',
    noScript: 'Cette page a besoin de JavaScript pour envoyer votre réponse.',
    noToken:
      'Cette page s’ouvre depuis le lien de votre courriel, et le jeton du lien manque ici. Rouvrez le lien depuis ' +
      'le courriel.',
    passwordsDiffer: 'Les deux mots de passe diffèrent.',
    unreachable: 'Le portail est injoignable. Réessayez dans un instant.',
    failed: 'La requête a échoué (HTTP {status}).',
    confirm: {
      title: 'Confirmez que ce contact 24/7 est joignable',
      intro:
        'La coordination du réseau vérifie que chaque contact 24/7 de l’annuaire est joignable. Appuyez sur le ' +
        'bouton pour confirmer que celui-ci l’est.',
      button: 'Confirmer',
      success: 'Merci : le contact est confirmé.',
      confirmedAt: 'Confirmé le',
    },
    verify: {
      title: 'Confirmez votre adresse e-mail',
      intro:
        'Votre équipe a demandé à rejoindre le réseau avec cette adresse. Appuyez sur le bouton pour la confirmer ; ' +
        'l’examen commence alors, et un lien pour suivre votre candidature arrive par courriel.',
      button: 'Confirmer mon adresse',
      success: 'Votre adresse est confirmée. Un lien pour suivre votre candidature vous est envoyé par courriel.',
      team: 'Équipe',
      status: 'État',
    },
    applicant: {
      title: 'Votre candidature au réseau',
      intro: 'Suivez votre candidature, répondez aux questions de la coordination ou retirez-la.',
      view: {
        heading: 'Où elle en est',
        button: 'Voir ma candidature',
        success: 'Votre candidature :',
        team: 'Équipe',
        status: 'État',
        question: 'La coordination demande',
      },
      answer: {
        heading: 'Répondre à la coordination',
        help: 'Seulement si la coordination a demandé des informations ; votre réponse remet la candidature en examen.',
        label: 'Votre réponse',
        button: 'Envoyer ma réponse',
        success: 'Votre réponse est envoyée ; la candidature est de nouveau en examen.',
        status: 'État',
      },
      withdraw: {
        heading: 'Retirer la candidature',
        help: 'La candidature est close pour de bon, et ce lien cesse de fonctionner.',
        reason: 'Pourquoi (facultatif)',
        sure: 'Je veux retirer la candidature',
        button: 'Retirer la candidature',
        success: 'La candidature est retirée.',
        status: 'État',
      },
    },
    invitation: {
      title: 'Choisissez votre mot de passe',
      intro:
        'Vous êtes invité sur le portail du réseau. Choisissez un mot de passe pour activer votre compte ; ' +
        'coordinateurs et administrateurs d’organisation configurent ensuite un second facteur (TOTP) à leur ' +
        'première connexion.',
      password: 'Mot de passe (au moins {min} caractères)',
      again: 'Le même mot de passe à nouveau',
      button: 'Définir mon mot de passe',
      success: 'Votre mot de passe est défini : vous pouvez vous connecter.',
    },
  },
};
