-- wrk stops only when its duration ends; bench/load.py also needs runs of a known
-- number of answers (a slow page, the memory run, the smoke test) and runs that
-- take turns through several paths:
--
--   wrk -t1 -s bench/wrk.lua URL -- LIMIT [PATH ...]
--
-- After LIMIT answers (0: no limit) the thread stops and prints the line below;
-- bench/load.py then interrupts wrk, which reports what it measured so far.
-- One thread (-t1): the limit is counted per thread.
local limit, paths, sent, answered = 0, {}, 0, 0

function init(args)
  limit = tonumber(args[1]) or 0
  for i = 2, #args do
    paths[#paths + 1] = args[i]
  end
end

function request()
  sent = sent + 1
  if #paths > 0 then
    return wrk.format(nil, paths[(sent - 1) % #paths + 1])
  end
  return wrk.format()
end

function response(status, headers, body)
  answered = answered + 1
  if limit > 0 and answered == limit then
    wrk.thread:stop()
    io.stdout:write("wrk.lua: limit reached\n")
    io.stdout:flush()
  end
end
