import type { EmailTemplate } from '../templates/email-template.js';

/** Id of the forward theme used when `forwardRecord()` names none. */
export const DEFAULT_FORWARD_THEME_ID = 'mailwright.forward';

/**
 * The built-in forward theme: the agent's comment, then the record's
 * conversation, then links to attachments that were replaced by links.
 * Variables: `record` (id, subject, conversation), `comment`, `agent` (name, email), `links`.
 * A system or organization template with the same id replaces it.
 */
export const defaultForwardTheme: EmailTemplate = {
  id: DEFAULT_FORWARD_THEME_ID,
  defaultLanguage: 'en',
  variants: {
    en: {
      subject: 'Fwd: {{ record.subject }} [{{ record.id }}]',
      text: [
        '{% if comment != "" %}{{ comment }}',
        '',
        '{% endif %}---------- Forwarded {{ record.id }}: {{ record.subject }} ----------',
        '{% for entry in record.conversation %}',
        'From: {{ entry.from }}',
        'Date: {{ entry.sentAt }}',
        '',
        '{{ entry.text }}',
        '{% endfor %}{% if links.size > 0 %}',
        'Attachments (links):',
        '{% for link in links %}- {{ link.filename }} ({{ link.size }}): {{ link.url }}',
        '{% endfor %}{% endif %}',
      ].join('\n'),
      html: [
        '{% if comment != "" %}<p>{{ comment | escape | newline_to_br | raw }}</p>{% endif %}',
        '<p>---------- Forwarded {{ record.id }}: {{ record.subject }} ----------</p>',
        '{% for entry in record.conversation %}<div><p><b>From:</b> {{ entry.from }}<br><b>Date:</b> {{ entry.sentAt }}</p><p>{{ entry.text | escape | newline_to_br | raw }}</p></div>{% endfor %}',
        '{% if links.size > 0 %}<p>Attachments (links):</p><ul>{% for link in links %}<li><a href="{{ link.url }}">{{ link.filename }}</a> ({{ link.size }})</li>{% endfor %}</ul>{% endif %}',
      ].join('\n'),
    },
  },
};
