"""Looking inside a Dash layout tree without a browser."""


def find(component, element_id):
    """The component with `element_id` in a layout tree, or None."""
    if getattr(component, "id", None) == element_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = find(child, element_id)
            if found is not None:
                return found
    return None


def figure(component, element_id):
    """The figure of the graph with `element_id` in a layout tree, validated by Plotly, as a go.Figure."""
    from tests.dashboard.figure_check import validated

    return validated(find(component, element_id).figure)
