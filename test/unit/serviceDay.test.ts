/**
 * The service-day helper both triggers use: JPO counts days in Japan time, PatSnap in China time.
 */
import { jstResetPhrase } from '../../nodes/Jpo/dates';
import { CHINA_TIME, JAPAN_TIME, describeWait, formatLocal, nextMidnight } from '../../nodes/shared/serviceDay';

describe('the reset moment in a JPO quota message', () => {
	it('names the next 00:00 JST with its zone and the wait', () => {
		// 11:48 UTC is 20:48 in Japan.
		expect(jstResetPhrase(Date.UTC(2026, 11, 3, 11, 48))).toBe('resets at 2026-12-04 00:00 JST (in 3 h 12 min)');
	});
});

describe('service days', () => {
	it('finds the next local midnight on either side of the UTC date line', () => {
		// 14:59 UTC is 23:59 in Japan: midnight is one minute away.
		expect(nextMidnight(JAPAN_TIME.offsetMs, Date.UTC(2026, 2, 4, 14, 59)).toISOString()).toBe('2026-03-04T15:00:00.000Z');
		// 15:00 UTC is already the next day in Japan: the following midnight is 24 hours on.
		expect(nextMidnight(JAPAN_TIME.offsetMs, Date.UTC(2026, 2, 4, 15, 0)).toISOString()).toBe('2026-03-05T15:00:00.000Z');
		expect(nextMidnight(CHINA_TIME.offsetMs, Date.UTC(2026, 2, 4, 1, 0)).toISOString()).toBe('2026-03-04T16:00:00.000Z');
		expect(nextMidnight(CHINA_TIME.offsetMs, Date.UTC(2026, 2, 4, 16, 0)).toISOString()).toBe('2026-03-05T16:00:00.000Z');
	});

	it('writes local wall-clock time with its offset', () => {
		expect(formatLocal(CHINA_TIME, Date.UTC(2026, 2, 4, 16, 0))).toBe('2026-03-05 00:00 UTC+8');
		expect(formatLocal(JAPAN_TIME, Date.UTC(2026, 2, 4, 16, 30))).toBe('2026-03-05 01:30 UTC+9');
	});

	it('describes a wait in whole minutes, never less than one', () => {
		const now = Date.UTC(2026, 2, 4, 12, 0);
		expect(describeWait(now + 5_000, now)).toBe('1 min');
		expect(describeWait(now + 59 * 60_000, now)).toBe('59 min');
		expect(describeWait(now + 185 * 60_000, now)).toBe('3 h 5 min');
		expect(describeWait(now - 60_000, now)).toBe('1 min');
	});
});
