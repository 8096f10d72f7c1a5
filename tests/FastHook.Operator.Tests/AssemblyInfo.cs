// The tests start API emulators, redis-server processes and gateways; two cores are shared, so tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
