// Seconds to add to the real clock for CI's faked-clock runs (libfaketime), one line each: "<seconds> <what>".
// Relative offsets, not absolute times, so every process of the run shares one ticking clock.
const ZONE = 'America/New_York';
const HOUR = 3_600_000;
const now = Date.now();

const offsetMinutes = (at) => {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'longOffset' }).formatToParts(at).find((part) => part.type === 'timeZoneName').value;
  const [, sign, hours, minutes] = /GMT([+-])(\d\d):?(\d\d)?/.exec(name) ?? [null, '+', '00', '00'];
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes ?? 0));
};

const localParts = (at) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: ZONE, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(at).map((part) => [part.type, part.value]),
  );

// The next 02:44 in New York: the small hours, when "today" has almost no data yet.
let smallHours = Math.ceil(now / 60_000) * 60_000;
while (!(Number(localParts(smallHours).hour) === 2 && Number(localParts(smallHours).minute) === 44)) smallHours += 60_000;

// The next daylight-saving change in New York, found hour by hour, then to the minute.
let change = Math.floor(now / HOUR) * HOUR;
while (offsetMinutes(change + HOUR) === offsetMinutes(now)) change += HOUR;
while (offsetMinutes(change) === offsetMinutes(now)) change += 60_000;

const seconds = (at) => Math.round((at - now) / 1000);
console.log(`${seconds(smallHours)} 02:44_in_New_York`);
console.log(`${seconds(change - 60_000)} one_minute_before_a_daylight-saving_change`);
