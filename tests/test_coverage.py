from uireview.checks.coverage import nothing_found_message
from uireview.findings import Review


def test_nothing_found_names_the_checks_that_ran_and_that_no_model_judged():
    review = Review(preset="general", settings={"checks": ["contrast", "spacing", "hierarchy"]})
    text = nothing_found_message(review)
    assert "WCAG AA" in text and "alignment" in text and "page title" in text
    assert "No model critique ran" in text
    assert "can still be there" in text  # not a clean bill of health


def test_nothing_found_with_a_model_names_it():
    review = Review(preset="general", model="grok-4.7", settings={"checks": ["contrast"]})
    text = nothing_found_message(review)
    assert "grok-4.7" in text and "No model critique ran" not in text
