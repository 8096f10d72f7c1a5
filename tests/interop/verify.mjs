// Verifies a delivery the gateway signed, with the standardwebhooks and svix libraries.
// Input (JSON on stdin): { "secret" (whsec_...), "body", "headers": { name: value } }.
// Output (JSON on stdout): { "standardwebhooks": "ok" | error message, "svix": "ok" | error message }.
import { readFileSync } from 'node:fs';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';

const { secret, body, headers } = JSON.parse(readFileSync(0, 'utf8'));

function attempt(verify) {
  try {
    verify();
    return 'ok';
  } catch (error) {
    return String(error && error.message ? error.message : error);
  }
}

const result = {
  standardwebhooks: attempt(() => new StandardWebhook(secret.replace(/^whsec_/, '')).verify(body, headers)),
  svix: attempt(() => new SvixWebhook(secret).verify(body, headers)),
};

process.stdout.write(JSON.stringify(result));
