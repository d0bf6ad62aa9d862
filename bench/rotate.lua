-- wrk script: send about N requests in turn to the paths given after `--`.
-- wrk -t1 -c4 -d600s -s bench/rotate.lua http://127.0.0.1:8000 -- 10000 / /feed/
local paths, turn, done, limit = {}, 0, 0, 0

function init(args)
  limit = tonumber(args[1])
  for i = 2, #args do paths[#paths + 1] = args[i] end
end

function request()
  turn = turn % #paths + 1
  return wrk.format("GET", paths[turn])
end

function response(status, headers, body)
  done = done + 1
  if done >= limit then wrk.thread:stop() end
end
