/**
 * The words of the hosted page and the widget themselves (buttons, errors), per language we
 * ship; the survey's own wording comes from its definition. Pure: bundled into the widget too.
 */
export interface UiStrings {
  next: string;
  back: string;
  send: string;
  close: string;
  saving: string;
  /** "Question {n} of {total}". */
  progress: string;
  required: string;
  saveFailed: string;
  defaultTitle: string;
  /** Shown above a survey answered before: the answers can still be changed. */
  answeredBefore: string;
  errors: { invalid: string; expired: string; closed: string; notFound: string; tooMany: string; failed: string; title: string };
}

const UI: Record<string, UiStrings> = {
  en: {
    next: 'Next',
    back: 'Back',
    send: 'Send',
    close: 'Close',
    saving: 'Saving…',
    progress: 'Question {n} of {total}',
    required: 'Please answer this question.',
    saveFailed: 'Your answer could not be saved. Check your connection and try again.',
    defaultTitle: 'Your feedback',
    answeredBefore: 'You have answered this survey before; you can change your answers.',
    errors: {
      title: 'Sorry',
      invalid: 'This survey link is not valid. Please use the link from your most recent message.',
      expired: 'This survey link has expired. Thank you for your interest.',
      closed: 'This survey is closed and no longer takes answers. Thank you for your interest.',
      notFound: 'We could not find this survey.',
      tooMany: 'Too many requests. Please wait a minute and try again.',
      failed: 'Something went wrong on our side. Please try again later.',
    },
  },
  fr: {
    next: 'Suivant',
    back: 'Retour',
    send: 'Envoyer',
    close: 'Fermer',
    saving: 'Enregistrement…',
    progress: 'Question {n} sur {total}',
    required: 'Merci de répondre à cette question.',
    saveFailed: 'Votre réponse n’a pas pu être enregistrée. Vérifiez votre connexion et réessayez.',
    defaultTitle: 'Votre avis',
    answeredBefore: 'Vous avez déjà répondu à ce questionnaire ; vous pouvez modifier vos réponses.',
    errors: {
      title: 'Désolé',
      invalid: 'Ce lien n’est pas valide. Utilisez le lien de votre message le plus récent.',
      expired: 'Ce lien a expiré. Merci de votre intérêt.',
      closed: 'Ce questionnaire est clos et n’accepte plus de réponses. Merci de votre intérêt.',
      notFound: 'Ce questionnaire est introuvable.',
      tooMany: 'Trop de demandes. Patientez une minute et réessayez.',
      failed: 'Une erreur s’est produite de notre côté. Réessayez plus tard.',
    },
  },
  de: {
    next: 'Weiter',
    back: 'Zurück',
    send: 'Senden',
    close: 'Schließen',
    saving: 'Wird gespeichert…',
    progress: 'Frage {n} von {total}',
    required: 'Bitte beantworten Sie diese Frage.',
    saveFailed: 'Ihre Antwort konnte nicht gespeichert werden. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
    defaultTitle: 'Ihre Meinung',
    answeredBefore: 'Sie haben diese Umfrage bereits beantwortet; Sie können Ihre Antworten ändern.',
    errors: {
      title: 'Entschuldigung',
      invalid: 'Dieser Umfragelink ist ungültig. Bitte nutzen Sie den Link aus Ihrer neuesten Nachricht.',
      expired: 'Dieser Umfragelink ist abgelaufen. Vielen Dank für Ihr Interesse.',
      closed: 'Diese Umfrage ist geschlossen und nimmt keine Antworten mehr an. Vielen Dank für Ihr Interesse.',
      notFound: 'Diese Umfrage wurde nicht gefunden.',
      tooMany: 'Zu viele Anfragen. Bitte warten Sie eine Minute und versuchen Sie es erneut.',
      failed: 'Bei uns ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut.',
    },
  },
  es: {
    next: 'Siguiente',
    back: 'Atrás',
    send: 'Enviar',
    close: 'Cerrar',
    saving: 'Guardando…',
    progress: 'Pregunta {n} de {total}',
    required: 'Responda a esta pregunta, por favor.',
    saveFailed: 'No se pudo guardar su respuesta. Compruebe su conexión e inténtelo de nuevo.',
    defaultTitle: 'Su opinión',
    answeredBefore: 'Ya respondió a esta encuesta; puede cambiar sus respuestas.',
    errors: {
      title: 'Lo sentimos',
      invalid: 'Este enlace no es válido. Use el enlace de su mensaje más reciente.',
      expired: 'Este enlace ha caducado. Gracias por su interés.',
      closed: 'Esta encuesta está cerrada y ya no acepta respuestas. Gracias por su interés.',
      notFound: 'No encontramos esta encuesta.',
      tooMany: 'Demasiadas solicitudes. Espere un minuto e inténtelo de nuevo.',
      failed: 'Algo salió mal por nuestra parte. Inténtelo más tarde.',
    },
  },
  nl: {
    next: 'Volgende',
    back: 'Terug',
    send: 'Versturen',
    close: 'Sluiten',
    saving: 'Opslaan…',
    progress: 'Vraag {n} van {total}',
    required: 'Beantwoord deze vraag alstublieft.',
    saveFailed: 'Uw antwoord kon niet worden opgeslagen. Controleer uw verbinding en probeer het opnieuw.',
    defaultTitle: 'Uw mening',
    answeredBefore: 'U heeft deze enquête al beantwoord; u kunt uw antwoorden wijzigen.',
    errors: {
      title: 'Sorry',
      invalid: 'Deze link is niet geldig. Gebruik de link uit uw meest recente bericht.',
      expired: 'Deze link is verlopen. Bedankt voor uw interesse.',
      closed: 'Deze enquête is gesloten en neemt geen antwoorden meer aan. Bedankt voor uw interesse.',
      notFound: 'Deze enquête is niet gevonden.',
      tooMany: 'Te veel verzoeken. Wacht een minuut en probeer het opnieuw.',
      failed: 'Er ging bij ons iets mis. Probeer het later opnieuw.',
    },
  },
};

export const UI_LANGUAGES = Object.keys(UI);

/** The page's own words in `language`, English where we have none. */
export function uiStrings(language: string): UiStrings {
  return UI[language] ?? (UI.en as UiStrings);
}
