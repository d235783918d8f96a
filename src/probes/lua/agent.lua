-- flamebench in-worker agent. The harness pastes this file into init_worker_by_lua_block as the
-- body of a function called with a config table (see inject.ts), so it runs once per worker.
--
-- Probe 'lua' samples Lua-land on-CPU stacks with LuaJIT's jit.profile; probe 'lua-offcpu'
-- times where Lua code waits (ngx.sleep, cosockets, subrequests, semaphores, locks); with the
-- cpu/offcpu probes (perf) it writes a perf map that names JIT-compiled traces.
-- Control: every cfg.poll seconds a timer reads each probe's control file ("start <token>" /
-- "stop <token>", written by the harness); on stop the worker writes <out_prefix><pid>.txt.
--
-- Crash paths avoided on purpose (each was seen on this machine):
--  * an error inside the profiler callback kills the worker: its body runs under pcall;
--  * profile.dumpstack after profile.stop() uses a freed buffer: the callback checks a flag
--    that is cleared before stop, and the wait probe never calls dumpstack at all (it shares
--    the profiler's buffer), it walks debug.getinfo instead.
local cfg = ...
local ngx = ngx
local io_open, os_rename, tostring, pcall = io.open, os.rename, tostring, pcall
local concat = table.concat
local pid = ngx.worker.pid()

local function log_err(...)
  ngx.log(ngx.ERR, "flamebench agent: ", ...)
end

local function write_file(path, text)
  local tmp = path .. ".tmp"
  local f, err = io_open(tmp, "w")
  if not f then
    log_err("cannot write ", tmp, ": ", err)
    return
  end
  f:write(text)
  f:close()
  local ok, rerr = os_rename(tmp, path)
  if not ok then log_err("cannot rename ", tmp, ": ", rerr) end
end

local function read_control(path)
  local f = io_open(path, "r")
  if not f then return nil end
  local line = f:read("*l")
  f:close()
  if not line then return nil end
  local cmd, token = line:match("^(%a+)%s+(%S+)")
  return cmd, token
end

-- Monotonic µs clock. ngx.now() has millisecond resolution: too coarse for short waits.
local now_us, clock_name
do
  local ok, ffi = pcall(require, "ffi")
  if ok and pcall(ffi.cdef, [[
      typedef struct { long tv_sec; long tv_nsec; } flamebench_timespec_t;
      int clock_gettime(int clk_id, flamebench_timespec_t *tp);
    ]]) then
    local ts = ffi.new("flamebench_timespec_t")
    local C = ffi.C
    local fn = function()
      C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
    end
    if pcall(fn) then now_us, clock_name = fn, "monotonic" end
  end
  if not now_us then
    -- someone declared clock_gettime differently: fall back to ms resolution
    now_us = function()
      ngx.update_time()
      return ngx.now() * 1e6
    end
    clock_name = "ngx.now"
  end
end

---------------------------------------------------------------------------------------------
-- probe 'lua': jit.profile
---------------------------------------------------------------------------------------------
local function new_profiler(pc)
  local profile = require("jit.profile")
  local dumpstack = profile.dumpstack
  local P = { running = false, counts = {}, flagged = {}, callbacks = 0,
              flagged_callbacks = 0, flagged_samples = 0, errors = 0 }

  local function sample(thread, samples, vmstate)
    if not P.running then return end -- never dumpstack once stop has begun
    local key = vmstate .. "\t" .. dumpstack(thread, "pFZ;", -64)
    P.counts[key] = (P.counts[key] or 0) + 1
    P.callbacks = P.callbacks + 1
    if samples > 1 then
      -- the timer fired samples-1 more times while nginx ran C code outside Lua
      P.flagged[key] = (P.flagged[key] or 0) + samples - 1
      P.flagged_callbacks = P.flagged_callbacks + 1
      P.flagged_samples = P.flagged_samples + samples - 1
    end
  end

  local function callback(thread, samples, vmstate)
    if not pcall(sample, thread, samples, vmstate) then P.errors = P.errors + 1 end
  end

  function P.start()
    P.running = true
    P.started_us = now_us()
    profile.start("fi" .. tostring(pc.interval_ms), callback)
  end

  function P.stop()
    P.running = false
    profile.stop()
    P.stopped_us = now_us()
  end

  function P.dump()
    local out = { "# flamebench jit.profile v1",
      "# pid=" .. pid .. " interval_ms=" .. pc.interval_ms .. " callbacks=" .. P.callbacks ..
      " flagged_callbacks=" .. P.flagged_callbacks .. " flagged_samples=" .. P.flagged_samples ..
      " errors=" .. P.errors .. " duration_us=" .. math.floor((P.stopped_us or 0) - (P.started_us or 0)) }
    for key, n in pairs(P.counts) do out[#out + 1] = "s\t" .. n .. "\t" .. key end
    for key, n in pairs(P.flagged) do out[#out + 1] = "f\t" .. n .. "\t" .. key end
    return concat(out, "\n") .. "\n"
  end

  return P
end

---------------------------------------------------------------------------------------------
-- probe 'lua-offcpu': wait timing
---------------------------------------------------------------------------------------------
local function new_waits(wc)
  local getinfo = debug.getinfo
  local min_us = wc.min_us or 0
  local W = { running = false, agg = {}, waits = 0, short_waits = 0, errors = 0, wrapped = {} }
  local wrappers = setmetatable({}, { __mode = "k" })

  -- Frames root-first, named like jit.profile's dumpstack "pF": file:function, or file:line
  -- when the function has no name, and file:0 for a main chunk.
  local function lua_stack()
    local level = 2
    -- start above our wrapper (found by identity, so the count of helper levels does not matter)
    while true do
      local info = getinfo(level, "f")
      if not info then return "" end
      level = level + 1
      if wrappers[info.func] then break end
    end
    local frames, n = {}, 0
    while n < 64 do
      local info = getinfo(level, "Sn")
      if not info then break end
      local src = info.source or "?"
      local c = src:sub(1, 1)
      if c == "@" or c == "=" then src = src:sub(2) end
      local name
      if info.what == "main" then
        name = src .. ":0"
      elseif info.what == "C" then
        name = "[C]" .. (info.name and (":" .. info.name) or "")
      else
        name = src .. ":" .. (info.name or tostring(info.linedefined))
      end
      n = n + 1
      frames[n] = (name:gsub("[;\t\n]", "_"))
      level = level + 1
    end
    local rev = {}
    for i = n, 1, -1 do rev[#rev + 1] = frames[i] end
    return concat(rev, ";")
  end

  local function record(kind, t0)
    local us = now_us() - t0
    if us < min_us then
      W.short_waits = W.short_waits + 1
      return
    end
    local key = kind .. "\t" .. lua_stack()
    local e = W.agg[key]
    if e then
      e[1] = e[1] + 1
      e[2] = e[2] + us
    else
      W.agg[key] = { 1, us }
    end
    W.waits = W.waits + 1
  end

  local function pack(...)
    return { n = select("#", ...), ... }
  end

  local function wrap(kind, orig)
    local w = function(...)
      if not W.running then return orig(...) end
      local t0 = now_us()
      local r = pack(orig(...)) -- may yield: the wait happens here
      if not pcall(record, kind, t0) then W.errors = W.errors + 1 end
      return unpack(r, 1, r.n)
    end
    wrappers[w] = true
    return w
  end

  local function wrap_field(t, field, kind)
    if type(t) == "table" and type(t[field]) == "function" then
      t[field] = wrap(kind, t[field])
      W.wrapped[#W.wrapped + 1] = kind
    end
  end

  -- Must run where cosockets exist (a timer), not in init_worker itself.
  function W.install()
    wrap_field(ngx, "sleep", "ngx.sleep")
    wrap_field(ngx.location, "capture", "location.capture")
    wrap_field(ngx.location, "capture_multi", "location.capture_multi")
    local sock = ngx.socket.tcp()
    local mt = getmetatable(sock)
    local methods = mt and (type(mt.__index) == "table" and mt.__index or mt)
    if methods then
      for _, m in ipairs({ "connect", "send", "receive", "sslhandshake" }) do
        wrap_field(methods, m, "tcp." .. m)
      end
      local receiveuntil = methods.receiveuntil
      if type(receiveuntil) == "function" then
        methods.receiveuntil = function(self, ...)
          local it, err = receiveuntil(self, ...)
          if type(it) ~= "function" then return it, err end
          return wrap("tcp.receiveuntil", it)
        end
        W.wrapped[#W.wrapped + 1] = "tcp.receiveuntil"
      end
    end
    pcall(sock.close, sock)
    local ok, sema = pcall(require, "ngx.semaphore")
    if ok then wrap_field(sema, "wait", "semaphore.wait") end
    local ok2, lock = pcall(require, "resty.lock")
    if ok2 then wrap_field(lock, "lock", "resty.lock") end
  end

  function W.start()
    W.running = true
  end

  function W.stop()
    W.running = false
  end

  function W.dump()
    local out = { "# flamebench lua-offcpu v1",
      "# pid=" .. pid .. " waits=" .. W.waits .. " short_waits=" .. W.short_waits ..
      " errors=" .. W.errors .. " clock_monotonic=" .. (clock_name == "monotonic" and 1 or 0),
      "# wrapped " .. concat(W.wrapped, ",") }
    for key, e in pairs(W.agg) do
      out[#out + 1] = "w\t" .. e[1] .. "\t" .. string.format("%.0f", e[2]) .. "\t" .. key
    end
    return concat(out, "\n") .. "\n"
  end

  return W
end

---------------------------------------------------------------------------------------------
-- perf map: names for JIT-compiled code in C-level (perf) stacks
---------------------------------------------------------------------------------------------
-- perf names code in anonymous executable memory from /tmp/perf-<pid>.map ("addr size name",
-- hex). This worker writes its map into the run's raw/ (the worker user may write there, and
-- nothing is left in /tmp); the perf probes link it at /tmp/perf-<pid>.map only while perf script
-- runs (src/probes/perf-maps.ts). Written from the start of the worker: samples in the window also
-- hit traces compiled during warm-up. The name is "<chunk>:<line defined> T<trace>:<start line>"
-- (chunk %-escaped, see below); the harness (src/probes/jit-frames.ts) turns it
-- into the function's name, as the lua probe names it, and drops the trace number (it differs
-- from run to run).
local function start_perf_map(path)
  local jit_util = require("jit.util")
  local tracemc, funcinfo, format = jit_util.tracemc, jit_util.funcinfo, string.format
  local f, err = io_open(path, "a")
  if not f then
    log_err("cannot write the perf map ", path, ": ", err)
    return
  end
  f:setvbuf("line") -- perf script reads it while the worker runs
  local failures = 0
  local function on_trace(what, tr, func, pc)
    if what ~= "stop" then return end
    local mcode, addr = tracemc(tr) -- the machine code (a string) and its address
    if type(mcode) ~= "string" or #mcode == 0 or not addr then return end
    local fi = funcinfo(func)
    local src = fi.source or "?"
    local c = src:sub(1, 1)
    if c == "@" or c == "=" then src = src:sub(2) end
    local at = funcinfo(func, pc)
    -- perf and the collapser cut symbol names at "(" and mangle quotes and ";": those (and
    -- "%" itself, and blanks) are %-escaped, and the harness decodes them
    src = src:gsub("[%%%s%(%);\"']", function(ch) return format("%%%02X", ch:byte()) end)
    f:write(format("%x %x %s:%d T%d:%d\n", addr, #mcode, src, fi.linedefined or 0, tr, at.currentline or 0))
  end
  -- an error escaping a VM event handler is printed to stderr and the event lost; count instead
  jit.attach(function(...)
    local ok, terr = pcall(on_trace, ...)
    if not ok then
      failures = failures + 1
      if failures == 1 then log_err("perf map: a trace could not be written: ", terr) end
    end
  end, "trace")
end

if cfg.perf_map then
  local ok, perr = pcall(start_perf_map, cfg.perf_map .. pid .. ".map")
  if not ok then log_err("perf map: ", perr) end
end

---------------------------------------------------------------------------------------------
-- control loop
---------------------------------------------------------------------------------------------
local probes = {}
for _, pc in ipairs(cfg.probes) do
  local impl = pc.kind == "lua" and new_profiler(pc) or new_waits(pc)
  probes[#probes + 1] = { cfg = pc, impl = impl, state = "idle", token = nil }
end

local function step(p)
  local cmd, token = read_control(p.cfg.control)
  if not cmd then return end
  if cmd == "start" and p.state ~= "running" and token ~= p.token then
    p.token = token
    p.impl.start()
    p.state = "running"
  elseif cmd == "stop" and (p.state == "running" or token ~= p.token) then
    -- a stop for a token never started still answers, so the harness need not wait for it
    if p.state == "running" then p.impl.stop() end
    p.token = token
    p.state = "stopped"
    write_file(p.cfg.out_prefix .. pid .. ".txt", p.impl.dump())
  end
end

local function poll(premature)
  if premature then
    for _, p in ipairs(probes) do
      if p.state == "running" then pcall(p.impl.stop) end
    end
    return
  end
  for _, p in ipairs(probes) do
    local ok, err = pcall(step, p)
    if not ok then log_err("probe ", p.cfg.id, ": ", err) end
  end
end

local ok, err = ngx.timer.at(0, function(premature)
  if premature then return end
  for _, p in ipairs(probes) do
    if p.impl.install then
      local iok, ierr = pcall(p.impl.install)
      if not iok then log_err("probe ", p.cfg.id, " install: ", ierr) end
    end
  end
end)
if not ok then log_err("timer: ", err) end
if #probes > 0 then
  ok, err = ngx.timer.every(cfg.poll, poll)
  if not ok then log_err("timer: ", err) end
end
