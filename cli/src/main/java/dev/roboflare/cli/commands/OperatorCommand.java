package dev.roboflare.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.roboflare.cli.Main;
import dev.roboflare.cli.Session;
import dev.roboflare.cli.Settings;
import dev.roboflare.cli.http.ControlPlaneClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand that talks to the control plane: the session, settings and client come from the root. */
abstract class OperatorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private ControlPlaneClient client;
    private Settings settings;

    Session session() {
        return ((Main) spec.root().userObject()).session();
    }

    Settings settings() {
        if (settings == null) {
            settings = ((Main) spec.root().userObject()).settings();
        }
        return settings;
    }

    ControlPlaneClient client() {
        if (client == null) {
            client = new ControlPlaneClient(settings().url(), settings().requireToken());
        }
        return client;
    }

    PrintWriter out() {
        return session().out();
    }

    PrintWriter err() {
        return session().err();
    }

    /** Pretty-printed snake_case JSON, the same shape the API uses. */
    void printJson(Object value) {
        try {
            out().println(ControlPlaneClient.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("wire records always serialize", e);
        }
    }

    Lookup lookup() {
        return new Lookup(client());
    }
}
