package dev.roboflare.agent.trust;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * The time a release statement's {@code expires_at} is judged against: the robot's clock, moved forward to the
 * control plane's when the robot is behind (ClockSkew, from the server's {@code Date} header), never back. A robot
 * whose clock restarted in 1970 would otherwise take every expired statement as fresh, which is the replay expiry
 * exists to stop; and a control plane that lies about the time can only make statements look older (refused, which
 * it could cause anyway), never younger than the robot's own clock says.
 */
public final class ExpiryClock extends Clock {
    private final Clock robot;
    private final Supplier<Long> skewMs;

    /** {@code skewMs}: control plane clock minus robot clock in ms (positive: robot behind), null when unknown. */
    public ExpiryClock(Clock robot, Supplier<Long> skewMs) {
        this.robot = robot;
        this.skewMs = skewMs;
    }

    @Override
    public Instant instant() {
        Instant own = robot.instant();
        Long skew = skewMs.get();
        return skew != null && skew > 0 ? own.plusMillis(skew) : own;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("expiry is judged in UTC");
    }
}
