import { registry } from "@web/core/registry";

/**
 * A technician takes an approved ticket on site: dispatch, arrival,
 * the customer's signature, completion. The test checks the records.
 */
registry.category("web_tour.tours").add("aftersales_field_visit_tour", {
    steps: () => [
        {
            content: "The ticket is ready to dispatch",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Ready to Dispatch')",
        },
        {
            content: "Choose who goes on site",
            trigger: ".o_field_widget[name='technician_ids'] input",
            run: "edit Tour Tech",
        },
        {
            content: "The technician is proposed",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Technician')",
            run: "click",
        },
        {
            content: "The technician is chosen",
            trigger: ".o_field_widget[name='technician_ids']:contains('Tour Technician')",
        },
        {
            content: "Dispatch the technician",
            trigger: ".o_statusbar_buttons button[name='action_dispatch']",
            run: "click",
        },
        {
            content: "The field form opens, planned",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Planned')",
        },
        {
            content: "Record the arrival on site",
            trigger: ".o_statusbar_buttons button[name='action_start']",
            run: "click",
        },
        {
            content: "The technician is on site",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('On Site')",
        },
        {
            content: "Write down the work done",
            trigger: ".o_field_widget[name='labour_hours'] input",
            run: "edit 01:30",
        },
        {
            content: "Open the signature page",
            trigger: ".o_notebook a[name='signature']",
            run: "click",
        },
        {
            content: "The customer writes their name",
            trigger: ".o_field_widget[name='signed_by'] input",
            run: "edit Li Lei",
        },
        {
            content: "Open the signature pad",
            trigger: ".o_field_widget[name='signature'] .o_signature",
            run: "click",
        },
        {
            content: "Sign with the typed name",
            trigger: ".modal .o_web_sign_auto_button",
            run: "click",
        },
        {
            content: "Adopt the signature",
            trigger: ".modal .modal-footer button.btn-primary:enabled",
            run: "click",
        },
        {
            content: "Save the form",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Complete the visit",
            trigger: ".o_statusbar_buttons button[name='action_done']",
            run: "click",
        },
        {
            content: "The form is done and can be filed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            content: "Sales can file it",
            trigger: ".o_statusbar_buttons button[name='action_file']",
        },
    ],
});
