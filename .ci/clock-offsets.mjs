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

// The next daylight-saving change in New York, found hour by hour, then to the minute.
let change = Math.floor(now / HOUR) * HOUR;
while (offsetMinutes(change + HOUR) === offsetMinutes(now)) change += HOUR;
while (offsetMinutes(change) === offsetMinutes(now)) change += 60_000;

// New York changes its clocks at 02:00 local time, so a minute before is also the small hours, when "today" has
// almost no data yet: one run covers both hours that have broken the suite.
const seconds = (at) => Math.round((at - now) / 1000);
console.log(`${seconds(change - 60_000)} one_minute_before_a_daylight-saving_change_(01:59_in_New_York)`);
