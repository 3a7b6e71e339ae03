// Prettier for the addons' XML (views, data, reports, QWeb), as in OCA's 18.0 repositories;
// the width and indent follow our Python (.ruff.toml: 120 columns) and Odoo's 4-space XML.
/** @type {import('prettier').Config} */
module.exports = {
    plugins: [require.resolve("@prettier/plugin-xml")],
    bracketSpacing: false,
    printWidth: 120,
    tabWidth: 4,
    // Text inside <p>, <span> … is what users read and what translations match: keep it as written.
    xmlWhitespaceSensitivity: "preserve",
};
