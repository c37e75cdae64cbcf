/** The tab list: click or arrow keys (Home, End) switch panels; only the selected tab is in the tab order. */
export function setUpTabs(list: HTMLElement): void {
  const tabs = [...list.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const select = (tab: HTMLButtonElement, focus: boolean): void => {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute("aria-selected", String(selected));
      t.tabIndex = selected ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")!)!.hidden = !selected;
    }
    if (focus) tab.focus();
  };
  for (const tab of tabs) {
    tab.addEventListener("click", () => select(tab, false));
    tab.addEventListener("keydown", (event) => {
      const i = tabs.indexOf(tab);
      const next =
        event.key === "ArrowRight" ? tabs[(i + 1) % tabs.length]
        : event.key === "ArrowLeft" ? tabs[(i - 1 + tabs.length) % tabs.length]
        : event.key === "Home" ? tabs[0]
        : event.key === "End" ? tabs[tabs.length - 1]
        : undefined;
      if (next) {
        event.preventDefault();
        select(next, true);
      }
    });
  }
}
