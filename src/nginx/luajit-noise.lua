-- flamebench luajit-noise agent: runs in init_worker_by_lua* of every nginx worker.
-- Each worker process settles on one random set of LuaJIT traces (trace selection depends on a
-- per-process PRNG seed and on which requests happen to run hot first), so CPU per request of
-- identical runs differs by ~20% between processes. Flushing the trace cache periodically makes
-- every worker re-select its traces many times per measured window: one run then averages over
-- many draws instead of being one draw.
-- The interval is the worker's own CPU time (os.clock), not wall time: on a shared machine a
-- worker may get a third of a core, and a wall-clock interval would then flush three times as
-- often per request, inflating the cost of re-compiling with the neighbours' load.
-- Only jit.flush() is called: no global is set and no probe state (jit.profile, the wait
-- tracer) is touched, so it composes with the Lua probes.
local interval, tick = ...
local flush = jit and jit.flush
if not flush then
    ngx.log(ngx.WARN, "flamebench luajit-noise: no jit.flush (not LuaJIT?): nothing to average")
    return
end
local clock = os.clock
local last = clock()
local function check(premature)
    if premature then return end
    local now = clock()
    if now - last >= interval then
        last = now
        flush()
    end
end
local ok, err = ngx.timer.every(tick, check)
if not ok then
    ngx.log(ngx.ERR, "flamebench luajit-noise: cannot start the flush timer: ", err)
end
