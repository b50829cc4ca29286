package dev.roboflare.agent.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {
    static boolean in(String window, String when) {
        return MaintenanceWindow.parse(window).contains(ZonedDateTime.parse(when));
    }

    @Test
    void anOvernightWindowBelongsToTheDayItStartsOnInItsOwnZone() {
        String w = "Mon-Fri 22:00-06:00 America/New_York";
        assertThat(in(w, "2026-11-30T22:30:00-05:00[America/New_York]")).as("Monday night").isTrue();
        assertThat(in(w, "2026-12-01T05:59:00-05:00[America/New_York]")).as("Tuesday early, Monday's window").isTrue();
        assertThat(in(w, "2026-12-01T06:00:00-05:00[America/New_York]")).as("the end is excluded").isFalse();
        assertThat(in(w, "2026-11-30T05:00:00-05:00[America/New_York]")).as("Monday early: Sunday has none").isFalse();
        assertThat(in(w, "2026-12-05T23:00:00-05:00[America/New_York]")).as("Saturday night").isFalse();
        assertThat(in(w, "2026-12-05T05:00:00-05:00[America/New_York]")).as("Saturday early, Friday's").isTrue();
        assertThat(in(w, "2026-12-01T03:30:00Z")).as("the same instant seen from UTC").isTrue();
    }

    @Test
    void daysAndZoneAreOptionalAndListsWork() {
        assertThat(in("12:00-13:00 UTC", "2026-12-06T12:30:00Z")).isTrue();
        assertThat(in("Sat,Sun 00:00-00:00 UTC", "2026-12-06T18:00:00Z")).as("all of Sunday").isTrue();
        assertThat(in("Sat,Sun 00:00-00:00 UTC", "2026-12-07T18:00:00Z")).as("Monday").isFalse();
        assertThat(in("Mon 09:00:10-09:00:20 UTC", "2026-11-30T09:00:15Z")).as("seconds").isTrue();
    }

    @Test
    void aWindowThatCannotBeReadSaysWhatWasWrongAndHowToWriteIt() {
        assertThatThrownBy(() -> MaintenanceWindow.parse("Mon-Fry 22:00-06:00"))
                .hasMessage("--maintenance-window 'Mon-Fry 22:00-06:00': unknown day 'Fry' (Mon, Tue, Wed, Thu, Fri, "
                        + "Sat, Sun); write it like 'Mon-Fri 22:00-06:00 America/New_York' (days and zone optional)");
        assertThatThrownBy(() -> MaintenanceWindow.parse("22:00 Europe/Paris"))
                .hasMessageStartingWith("--maintenance-window '22:00 Europe/Paris': the time range must be START-END");
        assertThatThrownBy(() -> MaintenanceWindow.parse("22:00-06:00 Mars/Olympus"))
                .hasMessageContaining("Mars/Olympus");
    }
}
