// Signs a request with a provider's own library and prints the headers that provider would send.
// Input (JSON on stdin): { "provider", "secret", "body", "timestamp" (Unix seconds), "id", "url", "params" }.
// Output (JSON on stdout): { "headers": { name: value } }.
import { readFileSync } from 'node:fs';
import Stripe from 'stripe';
import { sign as signGitHub } from '@octokit/webhooks-methods';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import twilio from 'twilio';

const input = JSON.parse(readFileSync(0, 'utf8'));

async function headersFor({ provider, secret, body, timestamp, id, url, params }) {
  switch (provider) {
    case 'stripe':
      return { 'Stripe-Signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }) };
    case 'github':
      return { 'X-Hub-Signature-256': await signGitHub(secret, body) };
    case 'standardWebhooks': {
      // The library takes the base64 key without the whsec_ prefix, as its own documentation shows.
      const signer = new StandardWebhook(secret.replace(/^whsec_/, ''));
      return {
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signer.sign(id, new Date(timestamp * 1000), body),
      };
    }
    case 'twilio':
      return { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(secret, url, params) };
    default:
      throw new Error(`No signer for provider "${provider}".`);
  }
}

process.stdout.write(JSON.stringify({ headers: await headersFor(input) }));
