// The bare JVM of the footprint section: it loads nothing and sleeps, so its RSS is what the unit's JVM flags
// cost before the agent runs any code of its own.
public final class Sleep {
    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
