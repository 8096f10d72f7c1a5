// The reference for ingest: the least an ASP.NET Core service does to take a webhook. It reads the whole body
// and responds 200, with no verification and no storage, so its rate is the ceiling of Kestrel on this machine.
// Usage: bare-endpoint --urls http://127.0.0.1:PORT

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

var app = builder.Build();
app.Run(async context =>
{
    var reader = context.Request.BodyReader;
    while (true)
    {
        var result = await reader.ReadAsync(context.RequestAborted);
        reader.AdvanceTo(result.Buffer.End);
        if (result.IsCompleted)
        {
            break;
        }
    }

    context.Response.StatusCode = StatusCodes.Status200OK;
    context.Response.ContentLength = 0;
});

await app.RunAsync();
