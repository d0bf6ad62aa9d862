-- bench/stampede.py: hot pages in turn, counting the answers that were rendered
-- (neither a page-cache hit nor a prepared copy).
--
--   wrk -t1 -s bench/stampede.lua URL -- PATH [PATH ...]
local paths, sent = {}, 0
renders = 0

function init(args)
  for i = 1, #args do
    paths[#paths + 1] = args[i]
  end
end

function request()
  sent = sent + 1
  return wrk.format(nil, paths[(sent - 1) % #paths + 1])
end

function response(status, headers, body)
  if headers["X-Page-Cache"] ~= "hit" and headers["X-Prepared"] ~= "hit" then
    renders = renders + 1
  end
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("renders")
  end
  io.write(string.format("stampede.lua: renders %d\n", total))
end
