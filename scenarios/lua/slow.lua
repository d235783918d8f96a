-- Handler for the slow-upstream scenario: it spends almost all its time waiting, not computing.
-- A backoff with ngx.sleep, then an HTTP request over a cosocket to a slow location whose
-- answer takes `slow_ms`. The lua-offcpu probe must attribute those waits to wait_backoff and
-- fetch_slow (via read_response) with about these durations.
local _M = {}

local tcp = ngx.socket.tcp
local sleep = ngx.sleep
local tonumber = tonumber

local function wait_backoff(ms)
  sleep(ms / 1000)
end

local function read_response(sock)
  local status_line, err = sock:receive("*l")
  if not status_line then return nil, "status: " .. tostring(err) end
  local length = 0
  while true do
    local line = sock:receive("*l")
    if not line or line == "" then break end
    local n = line:match("^[Cc]ontent%-[Ll]ength:%s*(%d+)")
    if n then length = tonumber(n) end
  end
  local body = length > 0 and sock:receive(length) or ""
  return status_line, body
end

local function fetch_slow(port)
  local sock = tcp()
  sock:settimeout(2000)
  local ok, err = sock:connect("127.0.0.1", port)
  if not ok then return nil, "connect: " .. tostring(err) end
  local sent, serr = sock:send("GET /slow HTTP/1.1\r\nHost: upstream\r\nConnection: keep-alive\r\n\r\n")
  if not sent then return nil, "send: " .. tostring(serr) end
  local status, body = read_response(sock)
  if status then sock:setkeepalive(10000, 64) else sock:close() end
  return status, body
end

function _M.handle(port, sleep_ms)
  wait_backoff(sleep_ms)
  local status, body = fetch_slow(port)
  if not status then
    ngx.status = 502
    ngx.say("upstream failed: ", body)
    return
  end
  ngx.say("upstream said: ", body)
end

-- The slow location itself: what a sluggish backend looks like from nginx.
function _M.slow(ms)
  sleep(ms / 1000)
  -- A length, not chunked encoding, keeps read_response simple.
  local body = "slow " .. ms .. "ms\n"
  ngx.header["Content-Length"] = #body
  ngx.print(body)
end

return _M
