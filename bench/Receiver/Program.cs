// A fast destination for the benchmarks. It takes deliveries from the gateway or the BullMQ relay, counts them,
// counts distinct event ids, and records the latency from the send time the load generator wrote into each body
// to the moment the delivery arrives. It prints nothing per delivery, unlike `fasthook receive`.
//
// Control endpoints, all on the same port:
//   GET  /_stats                  counters and latency percentiles as JSON
//   POST /_reset                  zeroes the counters and the latency histogram
//   POST /_status?code=503        responds to every delivery with that status from now on (200 to recover)
// Usage: bench-receiver --urls http://127.0.0.1:PORT
using FastHook.Bench.Receiver;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

var app = builder.Build();
var stats = new DeliveryStats();
var handler = new DeliveryHandler(stats);
app.Run(handler.HandleAsync);

await app.RunAsync();
