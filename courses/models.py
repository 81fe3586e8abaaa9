# Courses, lessons and learner progress arrive with the courses issue; the app exists so that its
# migrations and URLs have a home from the start.
