import type { SettingsCatalogue } from './settings-catalogue.js';

/** The French texts of the settings screens. */
export const catalogueFr: SettingsCatalogue = {
  language: 'fr',
  schemas: {
    emailParameters: {
      title: 'Paramètres de messagerie',
      description: "Comment l’application envoie les courriels : le fournisseur des envois par lot, la taille maximale, la conservation de l'historique et la limitation du débit.",
    },
    smtpSettings: { title: 'Paramètres SMTP', description: 'Le serveur SMTP qui envoie les courriels et la façon dont mailwright s’y connecte. Le mot de passe est stocké chiffré.' },
    exchangeSettings: {
      title: 'Paramètres Exchange Online',
      description: "L’inscription d’application Microsoft Entra et le compte de traitement par lot qui envoient les courriels par Microsoft Graph. Le secret client ou la clé privée est stocké chiffré.",
    },
    userEmailOptions: { title: 'Options de messagerie de l’utilisateur', description: 'Les options d’envoi propres à un utilisateur.' },
  },
  fields: {
    'emailParameters.batchProviderId': {
      title: 'Fournisseur des envois par lot',
      description: 'Le fournisseur qui envoie les courriels mis en file d’attente (non interactifs). Tant qu’aucun n’est choisi, ces courriels attendent.',
      invalid: 'Choisissez un fournisseur qui peut envoyer par lot, ou aucun.',
    },
    'emailParameters.attachmentSizeLimitBytes': {
      title: 'Taille maximale des pièces jointes (octets)',
      description: 'La taille maximale d’UN courriel encodé : son corps et toutes ses pièces jointes. Un courriel plus gros est refusé avant tout envoi. Par défaut 26214400 (25 Mio).',
      invalid: 'Saisissez la limite en octets, un nombre entier supérieur à 0 (26214400 correspond à 25 Mio).',
    },
    'emailParameters.historyRetentionDays': {
      title: 'Conservation de l’historique (jours)',
      description: 'Les entrées terminées plus anciennes sont supprimées. 0 signifie la valeur par défaut, 30 jours, jamais « ne rien garder ».',
      invalid: 'Saisissez un nombre entier de jours entre 0 et 36500 (0 signifie la valeur par défaut, 30).',
    },
    'emailParameters.perMinuteLimits': {
      title: 'Limites par minute',
      description: 'Le nombre maximal de courriels que chaque fournisseur peut envoyer en une minute ; 0 signifie sans limite. Un fournisseur absent reçoit sa limite automatique : 30 pour Microsoft 365, sinon aucune.',
      invalid: 'Donnez la limite de chaque fournisseur en nombre entier de courriels par minute (0 signifie sans limite).',
    },
    'emailParameters.perMinuteLimits.*': {
      title: 'Courriels par minute',
      description: 'La limite par minute de ce fournisseur ; 0 signifie sans limite. Laissez vide pour la limite automatique.',
      invalid: 'Saisissez un nombre entier de courriels par minute, 0 ou plus (0 signifie sans limite).',
    },
    'emailParameters.maxDeferrals': {
      title: 'Reports maximaux',
      description: 'Nombre de reports après lequel un courriel est envoyé même si la limite par minute est atteinte. Par défaut 10.',
      invalid: 'Saisissez un nombre entier de reports, 0 ou plus.',
    },
    'emailParameters.maxAttempts': {
      title: 'Tentatives maximales',
      description: 'Nombre de tentatives après un échec temporaire avant que le courriel échoue. Par défaut 5.',
      invalid: 'Saisissez un nombre entier de tentatives entre 1 et 100.',
    },
    'smtpSettings.host': { title: 'Serveur SMTP', description: 'Nom d’hôte du serveur SMTP, par exemple smtp.office365.com.', invalid: 'Saisissez le nom d’hôte du serveur SMTP, par exemple smtp.office365.com.' },
    'smtpSettings.port': {
      title: 'Port',
      description: '587 pour STARTTLS (habituel), 465 pour TLS implicite, 25 pour un relais. Par défaut 587.',
      invalid: 'Saisissez un numéro de port entre 1 et 65535 (587 est habituel).',
    },
    'smtpSettings.requireTls': {
      title: 'Exiger TLS',
      description: 'N’envoyer que par une connexion chiffrée (STARTTLS, ou TLS implicite sur le port 465). Activé par défaut.',
      invalid: 'Indiquez si TLS est exigé : vrai ou faux.',
    },
    'smtpSettings.implicitTls': {
      title: 'TLS implicite',
      description: 'Chiffrer dès le premier octet (SMTPS). Par défaut : activé pour le port 465, sinon désactivé.',
      invalid: 'Indiquez s’il faut utiliser TLS implicite : vrai ou faux, ou laissez vide.',
    },
    'smtpSettings.requireAuth': {
      title: 'Authentification requise',
      description: 'Se connecter avec un nom d’utilisateur et un mot de passe. Activé par défaut.',
      invalid: 'Indiquez si l’authentification est requise : vrai ou faux.',
    },
    'smtpSettings.allowInsecureAuth': {
      title: 'Autoriser la connexion sans TLS',
      description:
        'Envoyer le nom d’utilisateur et le mot de passe même sur une connexion non chiffrée (TLS non requis et pas de STARTTLS) : toute personne sur le chemin réseau peut les lire. Uniquement pour un relais interne de confiance. Désactivé par défaut.',
      invalid: 'Indiquez s’il faut autoriser la connexion sans TLS : vrai ou faux.',
    },
    'smtpSettings.username': {
      title: 'Nom d’utilisateur',
      description: 'Le compte avec lequel mailwright se connecte, souvent l’adresse de la boîte aux lettres.',
      invalid: 'Saisissez le nom d’utilisateur, ou laissez vide si l’authentification n’est pas requise.',
    },
    'smtpSettings.password': {
      title: 'Mot de passe',
      description: 'Stocké chiffré et jamais réaffiché. Laissez vide pour garder le mot de passe enregistré.',
      invalid: 'Saisissez le mot de passe, ou laissez vide pour garder celui qui est enregistré.',
    },
    'smtpSettings.mailbox': {
      title: 'Boîte aux lettres',
      description: 'Adresse de la boîte aux lettres connectée, l’expéditeur (Sender) des courriels envoyés au nom d’un utilisateur. Par défaut : le nom d’utilisateur, s’il s’agit d’une adresse.',
      invalid: 'Saisissez la boîte aux lettres sous forme d’adresse, par exemple noreply@contoso.com.',
    },
    'smtpSettings.connectionTimeoutMs': {
      title: 'Délai de connexion (ms)',
      description: 'Temps d’attente du serveur, en millisecondes. Par défaut 30000.',
      invalid: 'Saisissez un nombre entier de millisecondes supérieur à 0, par exemple 30000.',
    },
    'smtpSettings.ca': {
      title: 'Certificats d’autorité de confiance',
      description: 'Autorités de certification supplémentaires à approuver, en PEM (une AC privée).',
      invalid: 'Collez les certificats d’autorité au format PEM, ou laissez vide.',
    },
    'smtpSettings.servername': {
      title: 'Nom du serveur TLS',
      description: 'Nom d’hôte auquel comparer le certificat du serveur. Par défaut : le serveur SMTP.',
      invalid: 'Saisissez un nom d’hôte, ou laissez vide.',
    },
    'exchangeSettings.cloud': {
      title: 'Cloud Microsoft',
      description: 'Le cloud du locataire : global (aussi GCC), usGovHigh (GCC High), usGovDoD (DoD) ou china (21Vianet). Par défaut global.',
      invalid: 'Choisissez le cloud : global, usGovHigh, usGovDoD ou china.',
    },
    'exchangeSettings.tenantId': {
      title: 'ID de l’annuaire (locataire)',
      description: 'Dans la vue d’ensemble de l’inscription d’application : un GUID, ou le domaine du locataire comme contoso.onmicrosoft.com.',
      invalid: 'Saisissez l’ID de l’annuaire (locataire) de la vue d’ensemble de l’inscription d’application (un GUID) ou le domaine du locataire.',
    },
    'exchangeSettings.clientId': {
      title: 'ID d’application (client)',
      description: 'Dans la vue d’ensemble de l’inscription d’application (un GUID).',
      invalid: 'Saisissez l’ID d’application (client) de la vue d’ensemble de l’inscription d’application (un GUID).',
    },
    'exchangeSettings.clientSecret': {
      title: 'Secret client',
      description: 'La valeur du secret, pas son ID. Stockée chiffrée et jamais réaffichée. Donnez ceci ou un certificat ; laissez vide pour garder l’identifiant enregistré.',
      invalid: 'Saisissez la valeur du secret client, ou laissez vide pour garder celle qui est enregistrée.',
    },
    'exchangeSettings.certificate': {
      title: 'Certificat',
      description: 'Un certificat au lieu d’un secret client : son empreinte et sa clé privée.',
      invalid: 'Donnez l’empreinte SHA-256 du certificat et sa clé privée.',
    },
    'exchangeSettings.certificate.thumbprintSha256': {
      title: 'Empreinte du certificat (SHA-256)',
      description: 'L’empreinte SHA-256 du certificat : 64 chiffres hexadécimaux.',
      invalid: 'Saisissez l’empreinte SHA-256 du certificat (64 chiffres hexadécimaux).',
    },
    'exchangeSettings.certificate.privateKey': {
      title: 'Clé privée',
      description: 'Au format PEM (-----BEGIN PRIVATE KEY-----). Stockée chiffrée et jamais réaffichée. Laissez vide pour garder la clé enregistrée du même certificat.',
      invalid: 'Collez la clé privée au format PEM (-----BEGIN PRIVATE KEY-----).',
    },
    'exchangeSettings.certificate.x5c': {
      title: 'Chaîne de certificats',
      description: 'La chaîne de certificats publique en PEM, envoyée comme x5c (authentification par nom de sujet et émetteur).',
      invalid: 'Collez la chaîne de certificats au format PEM, ou laissez vide.',
    },
    'exchangeSettings.certificate.pfx': {
      title: 'Fichier PFX',
      description: 'Ou le certificat et sa clé privée sous forme de fichier PKCS#12 (.pfx ou .p12), en base64. Lu à l’enregistrement ; seule la clé privée est stockée, chiffrée.',
      invalid: 'Donnez le fichier PFX en texte base64, ou laissez vide.',
    },
    'exchangeSettings.certificate.pfxPassword': {
      title: 'Mot de passe du PFX',
      description: 'Le mot de passe du fichier PFX. Utilisé une fois pour le lire, jamais stocké.',
      invalid: 'Saisissez le mot de passe du PFX, ou laissez vide.',
    },
    'exchangeSettings.clientAssertion': {
      title: 'Assertion client',
      description: 'L’identifiant est une assertion signée que l’application fournit (fédération d’identité de charge de travail), donnée dans le code avec exchangeProvider({ clientAssertion }).',
      invalid: 'Indiquez true, ou laissez de côté.',
    },
    'exchangeSettings.managedIdentity': {
      title: 'Identité managée',
      description: 'L’identifiant est l’identité managée Azure de la machine : true pour celle affectée par le système, ou l’ID client d’une identité affectée par l’utilisateur.',
      invalid: 'Indiquez true pour l’identité affectée par le système, ou l’ID client de l’identité affectée par l’utilisateur.',
    },
    'exchangeSettings.managedIdentity.clientId': {
      title: 'ID client de l’identité managée',
      description: 'L’ID client d’une identité managée affectée par l’utilisateur (un GUID).',
      invalid: 'Saisissez l’ID client de l’identité managée (un GUID).',
    },
    'exchangeSettings.authorityHost': {
      title: 'Hôte d’autorité',
      description: 'L’hôte Entra ID du cloud ; laissez vide, le cloud le détermine (login.microsoftonline.com, login.microsoftonline.us ou login.chinacloudapi.cn).',
      invalid: 'Saisissez l’hôte d’autorité du cloud choisi (login.microsoftonline.com, login.microsoftonline.us ou login.chinacloudapi.cn), ou laissez vide.',
    },
    'exchangeSettings.batchMailbox': {
      title: 'Compte de traitement par lot',
      description: 'La boîte aux lettres d’où partent les courriels mis en file d’attente.',
      invalid: 'Saisissez la boîte aux lettres du compte de traitement par lot sous forme d’adresse.',
    },
    'exchangeSettings.saveToSentItems': {
      title: 'Enregistrer dans les éléments envoyés',
      description: 'Garder une copie dans les éléments envoyés de la boîte d’envoi (cela permet aussi de vérifier un envoi incertain avant de réessayer). Activé par défaut.',
      invalid: 'Indiquez s’il faut enregistrer dans les éléments envoyés : vrai ou faux.',
    },
    'userEmailOptions.senderEmail': {
      title: 'Adresse d’expédition',
      description:
        'Envoyer depuis cette adresse plutôt que celle de l’utilisateur (nécessite Send As ou Send On Behalf sur le serveur), par exemple ventes@contoso.com ; les adresses internationalisées sont acceptées. mailwright la vérifie comme l’adresse From d’un courriel.',
      invalid: 'Saisissez une adresse valide, par exemple ventes@contoso.com.',
    },
    'userEmailOptions.senderName': {
      title: 'Nom d’expédition',
      description: 'Nom affiché avec l’adresse d’expédition. Par défaut : le nom affiché de l’utilisateur.',
      invalid: 'Saisissez un nom sur une seule ligne, ou laissez vide.',
    },
    'userEmailOptions.providerId': {
      title: 'Fournisseur de messagerie',
      description: 'Le fournisseur avec lequel l’utilisateur envoie. Vide : la question lui est posée à chaque fois.',
      invalid: 'Choisissez un fournisseur avec lequel l’utilisateur peut envoyer, ou aucun pour qu’on le lui demande.',
    },
    'userEmailOptions.doNotAskAgain': { title: 'Ne plus demander', description: 'L’utilisateur a choisi un fournisseur et demandé à ne plus être interrogé.', invalid: 'Choisissez vrai ou faux.' },
    'userEmailOptions.emailNotifications': { title: 'Notifications par courriel', description: 'Recevoir les notifications de flux de travail par courriel. Désactivé par défaut.', invalid: 'Choisissez vrai ou faux.' },
    'userEmailOptions.language': { title: 'Langue', description: 'Langue préférée, une étiquette BCP 47 comme fr ou fr-CA.', invalid: 'Utilisez une étiquette de langue comme fr ou fr-CA.' },
  },
  messages: {
    unknownField: '« {field} » n’est pas un paramètre ; les paramètres sont {fields}.',
    unknownProvider: 'Aucun fournisseur « {provider} » ; fournisseurs inscrits : {registered}.',
    notBatchProvider: '« {provider} » ne peut pas envoyer par lot (il est seulement interactif).',
    notInteractiveProvider: '« {provider} » ne peut pas être choisi pour les envois interactifs.',
    authNeedsUsername: 'L’authentification est requise : saisissez le nom d’utilisateur et le mot de passe, ou désactivez « authentification requise ».',
    usernameNeedsPassword: 'Un nom d’utilisateur a été donné sans mot de passe : saisissez le mot de passe, ou effacez le nom d’utilisateur.',
    passwordNeedsUsername: 'Un mot de passe a été donné sans nom d’utilisateur.',
    storedPasswordNeedsUsername: 'Un mot de passe est enregistré mais aucun nom d’utilisateur n’est donné : effacez aussi le mot de passe enregistré, ou saisissez le nom d’utilisateur.',
    oneCredential:
      'Donnez exactement un identifiant : la valeur du secret client, un certificat (empreinte et clé privée, ou fichier PFX), clientAssertion (avec exchangeProvider({ clientAssertion })) ou managedIdentity.',
    certificateNeedsPrivateKey: 'Collez la clé privée de ce certificat : aucune n’est enregistrée pour lui.',
    certificateNeedsThumbprint: 'Donnez l’empreinte SHA-256 du certificat et sa clé privée (PEM), ou le fichier PFX.',
    pfxOrKey: 'Donnez soit un fichier PFX, soit une empreinte et une clé privée, pas les deux.',
    pfxUnreadable: '{reason}',
    tenantIdNeeded: 'Saisissez l’ID de l’annuaire (locataire) indiqué dans la vue d’ensemble de l’inscription d’application (un GUID) ou le domaine du locataire.',
    clientIdNeeded: 'Saisissez l’ID d’application (client) indiqué dans la vue d’ensemble de l’inscription d’application (un GUID).',
    authorityHostNotCloud: 'L’hôte d’autorité de {cloud} est {host} ; pour un autre cloud, réglez cloud sur « global », « usGovHigh », « usGovDoD » ou « china », ou laissez l’hôte d’autorité vide.',
  },
};
