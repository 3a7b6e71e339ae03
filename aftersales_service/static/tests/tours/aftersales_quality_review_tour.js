import { registry } from "@web/core/registry";

/** The quality reviewer records the decision and solution plan and approves (质量部评审). */
registry.category("web_tour.tours").add("aftersales_quality_review_tour", {
    steps: () => [
        {
            content: "The ticket waits for quality review",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Quality Review')",
        },
        {
            content: "Open the review page",
            trigger: ".o_notebook a[name='review']",
            run: "click",
        },
        {
            content: "Write the decision and solution plan",
            trigger: ".o_field_html[name='review_note'] div.o-paragraph",
            run: "editor Replace the pressure switch on site",
        },
        {
            content: "Approve",
            trigger: ".o_statusbar_buttons button[name='action_approve']",
            run: "click",
        },
        {
            content: "Free service goes straight to dispatch",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Ready to Dispatch')",
        },
        {
            content: "The reviewer is recorded",
            trigger: ".o_field_widget[name='reviewer_id']:contains('Quality Tour')",
        },
    ],
});
