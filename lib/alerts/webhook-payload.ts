import type { TAlertEventKind, TWebhookFormat } from './alert-rule-definition';

/** What every format is built from; also the generic JSON body as is. */
export interface AlertNotification {
  kind: TAlertEventKind;
  rule: { id: string; name: string; condition: string };
  connector: { id: string; name: string } | null;
  /** One line: "gameplay: health becomes STOP — …". */
  summary: string;
  /** The figures observed when the transition was claimed. */
  detail: Record<string, unknown>;
  /** FIRING and its RESOLVED share an episode. */
  episode: number;
  at: string;
  source: 'kastor';
}

const TITLES: Record<TAlertEventKind, string> = {
  FIRING: 'Alert firing',
  RESOLVED: 'Resolved',
  TEST: 'Test notification',
};

const SLACK_EMOJI: Record<TAlertEventKind, string> = { FIRING: ':rotating_light:', RESOLVED: ':white_check_mark:', TEST: ':wave:' };

function facts(notification: AlertNotification): { title: string; value: string }[] {
  return [
    { title: 'Rule', value: notification.rule.name },
    { title: 'Condition', value: notification.rule.condition },
    ...(notification.connector ? [{ title: 'Connector', value: notification.connector.name }] : []),
    { title: 'At', value: notification.at },
  ];
}

/**
 * The request body for a webhook format. Slack: an incoming-webhook message (`text` plus blocks).
 * Teams: an Adaptive Card in a message, which Teams workflows ("Post to a channel when a webhook
 * request is received") accept; the retired Office 365 connector cards are not used.
 */
export function webhookBody(format: TWebhookFormat, notification: AlertNotification): unknown {
  const title = `${TITLES[notification.kind]}: ${notification.rule.name}`;
  switch (format) {
    case 'JSON':
      return notification;
    case 'SLACK':
      return {
        text: `${SLACK_EMOJI[notification.kind]} ${title} — ${notification.summary}`,
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
          { type: 'section', text: { type: 'mrkdwn', text: notification.summary.slice(0, 3000) } },
          { type: 'section', fields: facts(notification).map((fact) => ({ type: 'mrkdwn', text: `*${fact.title}*\n${fact.value}` })) },
        ],
      };
    case 'TEAMS':
      return {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: [
                {
                  type: 'TextBlock',
                  size: 'Large',
                  weight: 'Bolder',
                  text: title,
                  color: notification.kind === 'FIRING' ? 'Attention' : notification.kind === 'RESOLVED' ? 'Good' : 'Default',
                  wrap: true,
                },
                { type: 'TextBlock', text: notification.summary, wrap: true },
                { type: 'FactSet', facts: facts(notification) },
              ],
            },
          },
        ],
      };
  }
}
