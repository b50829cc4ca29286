package dev.roboflare.agent.executor.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bootloader's environment: U-Boot through libubootenv ({@code fw_printenv}/{@code fw_setenv}, Debian
 * libubootenv-tool) or GRUB ({@code grub-editenv FILE}). A write of several variables is one tool call, so the
 * bootloader sees all of them or none.
 */
interface BootEnv {
    /** The variable's value, or null when it is not set. */
    String get(String name) throws IOException;

    /** Sets all of {@code values} in one atomic write. */
    void set(Map<String, String> values) throws IOException;

    /** U-Boot: {@code fw_setenv -s SCRIPT} (lines NAME=VALUE) writes the whole script as one new environment copy. */
    record UBoot(Path config) implements BootEnv {
        @Override
        public String get(String name) throws IOException {
            String v = Tool.run(withConfig("fw_printenv", "-n", name)).strip();
            return v.isEmpty() ? null : v;
        }

        @Override
        public void set(Map<String, String> values) throws IOException {
            Path script = Files.createTempFile("roboflare-fw_setenv", ".txt");
            try {
                StringBuilder sb = new StringBuilder();
                values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n')); // 0.3.2 reads NAME=VALUE
                Files.writeString(script, sb, StandardCharsets.UTF_8);
                Tool.run(withConfig("fw_setenv", "-s", script.toString()));
            } finally {
                Files.deleteIfExists(script);
            }
        }

        private List<String> withConfig(String tool, String... args) {
            List<String> c = new ArrayList<>(List.of(tool));
            if (config != null) {
                c.add("-c");
                c.add(config.toString());
            }
            c.addAll(List.of(args));
            return c;
        }

        @Override
        public String toString() {
            return "U-Boot environment (" + (config == null ? "/etc/fw_env.config" : config) + ")";
        }
    }

    /** GRUB: {@code grub-editenv FILE set A=1 B=2} rewrites the 1 KiB environment block in one call. */
    record Grub(Path file) implements BootEnv {
        @Override
        public String get(String name) throws IOException {
            for (String line : Tool.run(List.of("grub-editenv", file.toString(), "list")).split("\n")) {
                if (line.startsWith(name + "=")) {
                    return line.substring(name.length() + 1);
                }
            }
            return null;
        }

        @Override
        public void set(Map<String, String> values) throws IOException {
            List<String> c = new ArrayList<>(List.of("grub-editenv", file.toString(), "set"));
            values.forEach((k, v) -> c.add(k + "=" + v));
            Tool.run(c);
        }

        @Override
        public String toString() {
            return "GRUB environment " + file;
        }
    }
}
