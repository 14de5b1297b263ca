// The container test's client (test.sh): sends one batch for an app and reads it back through the
// datacube API with the app's AppSecret.
//   node smoke.mjs send BASE_URL APPID      → {"accepted": 3}
//   node smoke.mjs read BASE_URL APPID SECRET → {"session_cnt": 1, "visit_pv": 1, "visit_uv": 1}
const [mode, base, appid, secret] = process.argv.slice(2);
const TZ = 'Asia/Shanghai';

/** Yesterday in the deployment's calendar: the newest day the datacube API answers for. */
function yesterday() {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(Date.now() - 86_400_000);
  const noon = new Date(`${day}T12:00:00+08:00`).getTime();
  return { day: day.replaceAll('-', ''), noon };
}

async function send() {
  const { noon } = yesterday();
  const sid = 'container-s1';
  const body = {
    v: 1,
    app: appid,
    batch: `container-test-${Date.now()}`,
    sent_at: Date.now(),
    user: { id: 'container-user' },
    device: { platform: 'ios', brand: 'Apple', model: 'iPhone 15', system: 'iOS 18.1' },
    events: [
      { id: 'e1', t: 'open', ts: noon, sid, scene: 1001, path: 'pages/index/index', cold: true },
      { id: 'e2', t: 'pv', ts: noon + 100, sid, path: 'pages/index/index' },
      { id: 'e3', t: 'leave', ts: noon + 5100, sid, path: 'pages/index/index', dur: 5000 },
    ],
  };
  const res = await fetch(`${base}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await res.json();
  if (res.status !== 200) throw new Error(`/collect answered ${res.status}: ${JSON.stringify(answer)}`);
  return { accepted: answer.accepted };
}

async function read() {
  const { day } = yesterday();
  const tokenUrl = `${base}/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`;
  const { access_token: token, errmsg } = await (await fetch(tokenUrl)).json();
  if (!token) throw new Error(`no token: ${errmsg}`);
  const res = await fetch(`${base}/datacube/getweanalysisappiddailyvisittrend?access_token=${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ begin_date: day, end_date: day }),
  });
  const { list, errmsg: error } = await res.json();
  if (!list) throw new Error(`datacube: ${error}`);
  const { session_cnt, visit_pv, visit_uv } = list[0] ?? {};
  return { session_cnt, visit_pv, visit_uv };
}

const run = { send, read }[mode];
if (!run) throw new Error('mode: send | read');
console.log(JSON.stringify(await run()));
