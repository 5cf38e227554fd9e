"""What WhatsApp writes into exports by itself, in several languages.

One table serves the reader (to classify rows) and the renderer used by the tests, the
bundled example and the benchmarks (to write them), so the two can never drift apart.
Strings were collected from public WhatsApp exports and parser test suites; languages:
English, German, Spanish, French, Portuguese, Italian, Dutch.
"""

from __future__ import annotations

import re

__all__ = ["VOCAB", "LANGUAGES", "media_pattern", "deleted_pattern", "call_pattern",
           "system_pattern", "edited_pattern"]

VOCAB: dict[str, dict[str, object]] = {
    "en": {
        "media": "<Media omitted>",
        "media_ios": {"image": "image omitted", "video": "video omitted", "audio": "audio omitted",
                      "sticker": "sticker omitted", "gif": "GIF omitted", "document": "document omitted",
                      "contact": "Contact card omitted"},
        "attached": "<attached: {name}>",
        "file_attached": "{name} (file attached)",
        "deleted": "This message was deleted",
        "deleted_self": "You deleted this message",
        "edited": "<This message was edited>",
        "view_once": "null",
        "missed_voice": "Missed voice call",
        "missed_video": "Missed video call",
        "encryption": "Messages and calls are end-to-end encrypted. No one outside of this chat, "
                      "not even WhatsApp, can read or listen to them. Tap to learn more.",
        "encryption_old": "Messages to this chat and calls are now secured with end-to-end encryption. "
                          "Tap for more info.",
        "system": [
            "created group", "created this group", "added you", "You were added", "was added",
            " added ", " removed ", " left", "joined using this group's invite link",
            "changed the subject", "changed the group name", "changed this group's icon",
            "deleted this group's icon", "changed the group description", "deleted the group description",
            "changed their phone number", "changed to +", "Your security code with",
            "security code changed", "turned on disappearing messages", "turned off disappearing messages",
            "Disappearing messages", "disappearing messages", "You're now an admin", "now an admin",
            "You blocked this contact", "You unblocked this contact", "is a contact",
            "Messages to this group are now secured", "Messages to this chat and calls are now secured",
            "end-to-end encrypted", "This chat is with a business account", "This business",
            "pinned a message", "changed the settings", "reset this group's invite link",
            "Waiting for this message", "Missed group voice call", "started a call",
        ],
    },
    "de": {
        "media": "<Medien ausgeschlossen>",
        "media_ios": {"image": "Bild weggelassen", "video": "Video weggelassen", "audio": "Audio weggelassen",
                      "sticker": "Sticker weggelassen", "gif": "GIF weggelassen",
                      "document": "Dokument weggelassen", "contact": "Kontaktkarte ausgelassen"},
        "attached": "<Anhang: {name}>",
        "file_attached": "{name} (Datei angehängt)",
        "deleted": "Diese Nachricht wurde gelöscht",
        "deleted_self": "Du hast diese Nachricht gelöscht",
        "edited": "<Diese Nachricht wurde bearbeitet>",
        "view_once": "null",
        "missed_voice": "Verpasster Sprachanruf",
        "missed_video": "Verpasster Videoanruf",
        "encryption": "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb "
                      "dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp.",
        "encryption_old": "Nachrichten in diesem Chat sowie Anrufe sind jetzt mit "
                          "Ende-zu-Ende-Verschlüsselung geschützt.",
        "system": [
            "hat die Gruppe", "erstellt", "hat dich hinzugefügt", "hinzugefügt", "entfernt",
            "hat die Gruppe verlassen", "ist über den Einladungslink", "beigetreten",
            "hat den Betreff", "hat das Gruppenbild", "hat die Gruppenbeschreibung",
            "hat die Telefonnummer", "Telefonnummer geändert", "Dein Sicherheitscode für",
            "Sicherheitscode", "selbstlöschende Nachrichten", "Ende-zu-Ende-verschlüsselt",
            "Ende-zu-Ende-Verschlüsselung", "Du bist jetzt Admin", "Du hast diesen Kontakt blockiert",
        ],
    },
    "es": {
        "media": "<Multimedia omitido>",
        "media_ios": {"image": "imagen omitida", "video": "video omitido", "audio": "audio omitido",
                      "sticker": "sticker omitido", "gif": "GIF omitido", "document": "documento omitido",
                      "contact": "tarjeta de contacto omitida"},
        "attached": "<adjunto: {name}>",
        "file_attached": "{name} (archivo adjunto)",
        "deleted": "Se eliminó este mensaje",
        "deleted_self": "Eliminaste este mensaje",
        "edited": "<Se editó este mensaje.>",
        "view_once": "null",
        "missed_voice": "Llamada perdida",
        "missed_video": "Videollamada perdida",
        "encryption": "Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de "
                      "este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos.",
        "encryption_old": "Los mensajes y las llamadas en este chat ahora están protegidos con cifrado "
                          "de extremo a extremo.",
        "system": [
            "creó el grupo", "te añadió", "añadió a", "eliminó a", "salió del grupo", "salió",
            "se unió usando el enlace de invitación", "cambió el asunto", "cambió el nombre del grupo",
            "cambió la imagen de este grupo", "cambió la descripción del grupo", "cambió su número",
            "Tu código de seguridad con", "código de seguridad", "mensajes temporales",
            "cifrados de extremo a extremo", "cifrado de extremo a extremo", "Ahora eres admin",
            "Bloqueaste a este contacto",
        ],
    },
    "fr": {
        "media": "<Médias omis>",
        "media_ios": {"image": "image absente", "video": "vidéo absente", "audio": "audio omis",
                      "sticker": "sticker omis", "gif": "GIF retiré", "document": "document omis",
                      "contact": "fiche contact omise"},
        "attached": "<pièce jointe : {name}>",
        "file_attached": "{name} (fichier joint)",
        "deleted": "Ce message a été supprimé",
        "deleted_self": "Vous avez supprimé ce message",
        "edited": "<Ce message a été modifié>",
        "view_once": "null",
        "missed_voice": "Appel vocal manqué",
        "missed_video": "Appel vidéo manqué",
        "encryption": "Les messages et les appels sont chiffrés de bout en bout. Aucun tiers, pas même "
                      "WhatsApp, ne peut les lire ou les écouter.",
        "encryption_old": "Les messages envoyés dans cette discussion et les appels sont désormais "
                          "protégés avec le chiffrement de bout en bout.",
        "system": [
            "a créé le groupe", "vous a ajouté", "a ajouté", "a retiré", "est parti", "est partie",
            "a rejoint ce groupe via le lien d'invitation", "a changé le sujet", "a modifié le sujet",
            "a changé l'icône de ce groupe", "a changé la description du groupe",
            "a changé de numéro", "Votre code de sécurité avec", "code de sécurité",
            "messages éphémères", "chiffrés de bout en bout", "chiffrement de bout en bout",
            "Vous êtes désormais admin", "Vous avez bloqué ce contact",
        ],
    },
    "pt": {
        "media": "<Mídia oculta>",
        "media_ios": {"image": "imagem ocultada", "video": "vídeo omitido", "audio": "áudio ocultado",
                      "sticker": "figurinha omitida", "gif": "GIF omitido", "document": "documento omitido",
                      "contact": "cartão de contato omitido"},
        "attached": "<anexado: {name}>",
        "file_attached": "{name} (arquivo anexado)",
        "deleted": "Mensagem apagada",
        "deleted_self": "Você apagou esta mensagem",
        "edited": "<Mensagem editada>",
        "view_once": "null",
        "missed_voice": "Chamada de voz perdida",
        "missed_video": "Chamada de vídeo perdida",
        "encryption": "As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta e "
                      "ficam somente entre você e os participantes desta conversa.",
        "encryption_old": "As mensagens e chamadas desta conversa estão agora protegidas com "
                          "criptografia de ponta-a-ponta.",
        "system": [
            "criou o grupo", "adicionou você", "adicionou", "removeu", "saiu",
            "entrou usando o link de convite", "mudou o assunto", "mudou o nome do grupo",
            "mudou a imagem deste grupo", "mudou a descrição do grupo", "mudou seu número",
            "Seu código de segurança com", "código de segurança", "mensagens temporárias",
            "criptografia de ponta a ponta", "criptografia de ponta-a-ponta", "Você agora é admin",
            "Você bloqueou este contato",
        ],
    },
    "it": {
        "media": "<Media omessi>",
        "media_ios": {"image": "immagine omessa", "video": "video omesso", "audio": "audio omesso",
                      "sticker": "sticker omesso", "gif": "GIF omessa", "document": "documento omesso",
                      "contact": "scheda contatto omessa"},
        "attached": "<allegato: {name}>",
        "file_attached": "{name} (file allegato)",
        "deleted": "Questo messaggio è stato eliminato",
        "deleted_self": "Hai eliminato questo messaggio",
        "edited": "<Questo messaggio è stato modificato>",
        "view_once": "null",
        "missed_voice": "Chiamata vocale persa",
        "missed_video": "Videochiamata persa",
        "encryption": "I messaggi e le chiamate sono crittografati end-to-end. Nessuno al di fuori di "
                      "questa chat, nemmeno WhatsApp, può leggerli o ascoltarli.",
        "encryption_old": "I messaggi inviati a questa chat e le chiamate sono ora protetti con la "
                          "crittografia end-to-end.",
        "system": [
            "ha creato il gruppo", "ti ha aggiunto", "ha aggiunto", "ha rimosso", "è uscito", "è uscita",
            "si è unito tramite il link d'invito", "ha cambiato l'oggetto", "ha cambiato il nome del gruppo",
            "ha cambiato l'immagine di questo gruppo", "ha cambiato la descrizione del gruppo",
            "ha cambiato numero", "Il tuo codice di sicurezza con", "codice di sicurezza",
            "messaggi effimeri", "crittografati end-to-end", "crittografia end-to-end",
            "Ora sei un amministratore", "Hai bloccato questo contatto",
        ],
    },
    "nl": {
        "media": "<Media weggelaten>",
        "media_ios": {"image": "afbeelding weggelaten", "video": "video weggelaten", "audio": "audio weggelaten",
                      "sticker": "sticker weggelaten", "gif": "GIF weggelaten", "document": "document weggelaten",
                      "contact": "contactkaart weggelaten"},
        "attached": "<bijgevoegd: {name}>",
        "file_attached": "{name} (bestand bijgevoegd)",
        "deleted": "Dit bericht is verwijderd",
        "deleted_self": "Je hebt dit bericht verwijderd",
        "edited": "<Dit bericht is bewerkt>",
        "view_once": "null",
        "missed_voice": "Gemiste spraakoproep",
        "missed_video": "Gemiste video-oproep",
        "encryption": "Berichten en gesprekken worden end-to-end versleuteld. Niemand buiten deze chat, "
                      "zelfs WhatsApp niet, kan ze lezen of beluisteren.",
        "encryption_old": "Berichten die naar deze chat worden gestuurd en gesprekken zijn nu beveiligd "
                          "met end-to-end versleuteling.",
        "system": [
            "heeft groep", "aangemaakt", "heeft je toegevoegd", "toegevoegd", "verwijderd",
            "heeft de groep verlaten", "is lid geworden via de uitnodigingslink", "heeft het onderwerp",
            "heeft de groepsafbeelding", "heeft de groepsbeschrijving", "heeft het telefoonnummer",
            "Je beveiligingscode met", "beveiligingscode", "verdwijnende berichten",
            "end-to-end versleuteld", "end-to-end versleuteling", "Je bent nu beheerder",
            "Je hebt dit contact geblokkeerd",
        ],
    },
}

LANGUAGES = tuple(VOCAB)

# counted repetitions ({1,300}) are avoided on purpose: they blow up RE2's DFA
_MARKS = "[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]*"


def _alt(items) -> str:
    return "|".join(re.escape(s) for s in sorted(set(items), key=len, reverse=True))


def media_pattern() -> str:
    """Regex (RE2-compatible) matching a whole body that is only a media placeholder."""
    fixed = []
    for v in VOCAB.values():
        fixed.append(v["media"])
        fixed.extend(v["media_ios"].values())
        fixed.append(v["view_once"])
    attached = []
    for v in VOCAB.values():
        pre, post = v["attached"].split("{name}")
        attached.append(re.escape(pre) + r"[^\n>]+" + re.escape(post))
        pre, post = v["file_attached"].split("{name}")
        attached.append(r"[^\n]+" + re.escape(post))
    return rf"^{_MARKS}(?:{_alt(fixed)}|{'|'.join(attached)}|(?:location|Standort|ubicación|localisation|localização|posizione|locatie): https?://\S+|Live location shared)$"


def deleted_pattern() -> str:
    """Regex matching a whole body that says the message was deleted."""
    items = [v["deleted"] for v in VOCAB.values()] + [v["deleted_self"] for v in VOCAB.values()]
    return rf"^{_MARKS}(?:{_alt(items)})\.?$"


def call_pattern() -> str:
    """Regex matching a call notice body."""
    items = [v["missed_voice"] for v in VOCAB.values()] + [v["missed_video"] for v in VOCAB.values()]
    items += ["Voice call", "Video call", "Sprachanruf", "Videoanruf", "Llamada de voz", "Videollamada",
              "Appel vocal", "Appel vidéo", "Chamada de voz", "Chamada de vídeo", "Chiamata vocale",
              "Videochiamata", "Spraakoproep", "Video-oproep"]
    return rf"^{_MARKS}(?:{_alt(items)})(?:[,.][^\n]*)?$"


def edited_pattern() -> str:
    """Regex matching the 'message was edited' marker at the end of a body."""
    return "[ \u00a0]?" + rf"{_MARKS}(?:{_alt(v['edited'] for v in VOCAB.values())})$"


def system_pattern() -> str:
    """Regex matching bodies that are WhatsApp notices (used for iOS notices with a sender)."""
    items = []
    for v in VOCAB.values():
        items.append(v["encryption"])
        items.append(v["encryption_old"])
        items.extend(s.strip() for s in v["system"] if len(s.strip()) >= 12)
    return rf"^{_MARKS}[^\n]*(?:{_alt(items)})"
