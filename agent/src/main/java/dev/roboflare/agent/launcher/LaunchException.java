package dev.roboflare.agent.launcher;

/** The app could not be started; the message is written for the operator and goes into the event detail. */
public class LaunchException extends Exception {
    public LaunchException(String message) {
        super(message);
    }
}
