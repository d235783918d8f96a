-- CPU work for the lua-work scenario: per request, build a table of records, encode it as
-- JSON by hand (string building + table.concat), rewrite and scan it with PCRE through
-- lua-resty-core's ngx.re (JIT-compiled, cached), and answer with a short digest.
-- Each step is its own named function so Lua-land flame graphs show where the time goes.
local _M = {}

local re_find = ngx.re.find
local re_gsub = ngx.re.gsub
local concat = table.concat
local format = string.format
local byte = string.byte
local tostring = tostring

local TAGS = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta" }

local function build_records(n, seed)
  local records = {}
  for i = 1, n do
    local tags = {}
    for t = 1, (i + seed) % 4 + 1 do
      tags[t] = TAGS[(i * t + seed) % #TAGS + 1]
    end
    records[i] = {
      id = i,
      name = "item-" .. i .. "-" .. seed,
      score = (i * 37 + seed) % 1000 / 10,
      tags = tags,
      note = 'said "hi"\n',
    }
  end
  return records
end

local function escape_string(s)
  -- Only the characters JSON requires; a gsub per field is what real handlers do.
  return (re_gsub(s, [=[["\\\n]]=], function(m)
    local c = m[0]
    if c == "\n" then return "\\n" end
    return "\\" .. c
  end, "jo"))
end

local function encode_record(r, buf, n)
  n = n + 1; buf[n] = '{"id":'
  n = n + 1; buf[n] = tostring(r.id)
  n = n + 1; buf[n] = ',"name":"'
  n = n + 1; buf[n] = escape_string(r.name)
  n = n + 1; buf[n] = '","score":'
  n = n + 1; buf[n] = format("%.1f", r.score)
  n = n + 1; buf[n] = ',"note":"'
  n = n + 1; buf[n] = escape_string(r.note)
  n = n + 1; buf[n] = '","tags":["'
  n = n + 1; buf[n] = concat(r.tags, '","')
  n = n + 1; buf[n] = '"]}'
  return n
end

local function encode_json(records)
  local buf, n = { "[" }, 1
  for i = 1, #records do
    if i > 1 then n = n + 1; buf[n] = "," end
    n = encode_record(records[i], buf, n)
  end
  n = n + 1; buf[n] = "]"
  return concat(buf)
end

local function rewrite_names(json)
  local out, count = re_gsub(json, [["name":"item-(\d+)-(\d+)"]], [["name":"it_$2_$1"]], "jo")
  return out, count
end

local function count_matches(s, pattern)
  local ctx, count = { pos = 1 }, 0
  while true do
    -- ctx.pos advances past each match: no substring copies.
    local from = re_find(s, pattern, "jo", ctx)
    if not from then return count end
    count = count + 1
  end
end

local function checksum(s)
  local h = 5381
  for i = 1, #s, 7 do
    h = (h * 33 + byte(s, i)) % 4294967296
  end
  return h
end

function _M.handle(iterations)
  local seed = ngx.var.arg_seed and tonumber(ngx.var.arg_seed) or 1
  local json = encode_json(build_records(iterations, seed))
  local rewritten, renamed = rewrite_names(json)
  local gammas = count_matches(rewritten, [["gamma"]])
  ngx.header["Content-Type"] = "text/plain"
  ngx.say(format("records=%d bytes=%d renamed=%d gammas=%d sum=%d", iterations, #rewritten, renamed, gammas, checksum(rewritten)))
end

return _M
