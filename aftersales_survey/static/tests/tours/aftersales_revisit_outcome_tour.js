import { registry } from "@web/core/registry";

/** A salesperson records how the revisit went (回访) and closes it. */
registry.category("web_tour.tours").add("aftersales_revisit_outcome_tour", {
    steps: () => [
        {
            content: "The customer is satisfied",
            trigger: ".o_field_widget[name='outcome'] input[data-value='satisfied']",
            run: "click",
        },
        {
            content: "Note what the customer said",
            trigger: ".o_field_widget[name='note'] textarea",
            run: "edit Pumps run well, operators trained",
        },
        {
            content: "Close the revisit",
            trigger: ".o_statusbar_buttons button[name='action_done']",
            run: "click",
        },
        {
            content: "The revisit is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
