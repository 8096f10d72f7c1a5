-- wrk script for the benchmarks: POSTs one fixed body signed the way GitHub signs webhooks, and prints a JSON
-- summary line when the run ends. wrk's Lua has no HMAC, so the harness computes the signature of the body
-- file and passes it in.
-- Usage: wrk -t1 -c64 -d15s -s bench/wrk/github.lua URL -- BODY_FILE "sha256=HEX"

local request_bytes

function init(args)
  if #args < 2 then
    error("usage: wrk -s github.lua URL -- BODY_FILE SIGNATURE")
  end
  local file = assert(io.open(args[1], "rb"))
  local body = file:read("*a")
  file:close()
  local headers = {
    ["Content-Type"] = "application/json",
    ["User-Agent"] = "GitHub-Hookshot/fasthook-bench",
    ["X-GitHub-Event"] = "pull_request",
    ["X-Hub-Signature-256"] = args[2],
  }
  request_bytes = wrk.format("POST", nil, headers, body)
end

function request()
  return request_bytes
end

-- Latencies are in microseconds in wrk; the summary gives milliseconds.
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"statusErrors":%d,' ..
    '"timeouts":%d,"p50Ms":%.3f,"p90Ms":%.3f,"p99Ms":%.3f,"p999Ms":%.3f,"maxMs":%.3f}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
