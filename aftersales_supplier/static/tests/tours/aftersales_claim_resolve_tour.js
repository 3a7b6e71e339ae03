import { registry } from "@web/core/registry";

/** Purchasing records what the vendor paid back and resolves the claim. */
registry.category("web_tour.tours").add("aftersales_claim_resolve_tour", {
    steps: () => [
        {
            content: "The vendor is working on the claim",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('In Progress')",
        },
        {
            content: "Record the amount recovered",
            trigger: ".o_field_widget[name='recovered_amount'] input",
            run: "edit 80",
        },
        {
            content: "Resolve",
            trigger: ".o_statusbar_buttons button[name='action_resolve']",
            run: "click",
        },
        {
            content: "The claim is resolved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Resolved')",
        },
    ],
});
