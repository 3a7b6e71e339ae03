import { registry } from "@web/core/registry";

/** The customer accepts the paid-service quotation on the portal by signing it (有费服务). */
registry.category("web_tour.tours").add("aftersales_portal_quotation_tour", {
    steps: () => [
        {
            content: "The quotation shows the labour of the repair",
            trigger: "#quote_content:contains('After-Sales Labour')",
        },
        {
            content: "Open the signature dialog",
            trigger: "a[data-bs-target='#modalaccept']",
            run: "click",
        },
        {
            content: "The customer signs with their name",
            trigger: ".modal .o_web_sign_name_and_signature input",
            run: "edit Quote Customer",
        },
        {
            content: "Choose a handwriting style (the signature is drawn once the fonts are loaded)",
            trigger: ".modal .o_web_sign_auto_select_style button",
            run: "click",
        },
        {
            content: "Take the second style",
            trigger: ".o-dropdown-item:eq(1)",
            run: "click",
        },
        {
            content: "Accept and sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: "#quote_content:contains('Thank You')",
        },
        {
            // The reloaded page loads its chatter afterwards: ending earlier cuts that request.
            content: "The signature is in the order's history",
            trigger: "#chatterRoot:shadow .o-mail-Message",
        },
    ],
});
