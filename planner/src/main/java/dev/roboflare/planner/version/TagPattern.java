package dev.roboflare.planner.version;

import java.util.regex.Pattern;

/** A channel's tag shape: how it is shown to people ({@code ot3@X.Y.Z}) and how names are matched. */
public record TagPattern(String display, Pattern regex) {
    static TagPattern of(String display, String regex) {
        return new TagPattern(display, Pattern.compile(regex));
    }
}
