// The tests start real servers and measure retry schedules; running them one at a time on small CI machines
// keeps those timings meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
