'use strict';
// The relay a team might build instead of FastHook, as the benchmarks' alternative: node:http receives a
// GitHub-signed webhook, checks X-Hub-Signature-256, adds a BullMQ job, and responds 200 once Redis has the job.
// A BullMQ worker in the same process delivers each job to the destination and retries failures with exponential
// backoff. Completed jobs are kept, as BullMQ does by default, so stored history compares with the gateway's.
//
// Usage: node relay.js --port 8081 --redis-port 6390 --destination http://127.0.0.1:9001/relay --secret S
//        [--concurrency 16] [--attempts 8] [--backoff-ms 1000]
// GET /_stats returns {"accepted", "delivered", "failedAttempts"} for the harness.

const http = require('node:http');
const crypto = require('node:crypto');
const { Queue, Worker } = require('bullmq');

function parseOptions(argv) {
  const options = { concurrency: '16', attempts: '8', 'backoff-ms': '1000' };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`Invalid argument '${argv[i]}': options are written as --name value.`);
    }
    options[argv[i].slice(2)] = argv[i + 1];
  }
  for (const name of ['port', 'redis-port', 'destination', 'secret']) {
    if (!options[name]) {
      throw new Error(`Missing option --${name}.`);
    }
  }
  return options;
}

const options = parseOptions(process.argv.slice(2));
const concurrency = Number(options.concurrency);
const destination = new URL(options.destination);
const secret = Buffer.from(options.secret, 'utf8');
const connection = { host: '127.0.0.1', port: Number(options['redis-port']), maxRetriesPerRequest: null };
const counters = { accepted: 0, delivered: 0, failedAttempts: 0 };

const queue = new Queue('webhooks', { connection });
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const jobOptions = {
  attempts: Number(options.attempts),
  backoff: { type: 'exponential', delay: Number(options['backoff-ms']) },
};

// Returns true when the X-Hub-Signature-256 header is the HMAC-SHA256 of the raw body, compared in constant time.
function verified(signature, body) {
  if (typeof signature !== 'string' || !signature.startsWith('sha256=')) {
    return false;
  }
  const expected = Buffer.from('sha256=' + crypto.createHmac('sha256', secret).update(body).digest('hex'), 'utf8');
  const actual = Buffer.from(signature, 'utf8');
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

function respond(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

const server = http.createServer((request, response) => {
  if (request.url === '/_stats') {
    respond(response, 200, JSON.stringify(counters));
    return;
  }

  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    if (!verified(request.headers['x-hub-signature-256'], body)) {
      respond(response, 401, '{"error":"The request could not be verified."}');
      return;
    }

    const data = {
      event: request.headers['x-github-event'] || '',
      delivery: request.headers['x-github-delivery'] || '',
      contentType: request.headers['content-type'] || 'application/json',
      body: body.toString('utf8'),
    };
    queue.add('webhook', data, jobOptions).then(
      () => {
        counters.accepted++;
        respond(response, 200, '{"ok":true}');
      },
      (error) => {
        console.error(`Could not enqueue a webhook, responded 503: ${error.message}`);
        respond(response, 503, '{"error":"The request could not be stored; retry later."}');
      });
  });
});

// Sends one job to the destination. It rejects on a non-2xx response or a network error, so BullMQ retries it.
function deliver(job) {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(job.data.body, 'utf8');
    const outgoing = http.request(destination, {
      method: 'POST',
      agent,
      timeout: 10000,
      headers: {
        'content-type': job.data.contentType,
        'content-length': body.length,
        'webhook-id': job.id,
        'x-github-event': job.data.event,
        'x-github-delivery': job.data.delivery,
      },
    }, (incoming) => {
      incoming.resume();
      incoming.on('end', () => {
        if (incoming.statusCode >= 200 && incoming.statusCode < 300) {
          counters.delivered++;
          resolve();
        } else {
          counters.failedAttempts++;
          reject(new Error(`The destination responded ${incoming.statusCode}.`));
        }
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('No response within 10s.')));
    outgoing.on('error', (error) => {
      counters.failedAttempts++;
      reject(error);
    });
    outgoing.end(body);
  });
}

const worker = new Worker('webhooks', deliver, { connection, concurrency });
worker.on('error', (error) => console.error(`BullMQ worker error: ${error.message}`));

server.keepAliveTimeout = 65000;
server.listen(Number(options.port), '127.0.0.1', () => {
  console.log(`Relay listening on 127.0.0.1:${options.port}, delivering to ${destination.href} with concurrency ${concurrency}`);
});

async function stop() {
  server.close();
  await worker.close();
  await queue.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
