"""A paragraph written for the tests, and copies of it edited lightly and rewritten heavily."""

SOURCE = ("The city council of Millbrook voted on Tuesday night to close the old Harbor Street library at the end "
          "of March, saying the building needs repairs that would cost more than four million dollars. Members "
          "agreed to move the library's collection to the community center on Elm Avenue while a new branch is "
          "designed. The library has served the neighborhood since 1921, and several residents told the council "
          "that closing it would leave children without a quiet place to study after school. Council member Rosa "
          "Whitfield said the vote was painful but that the town could not afford to keep a building that was no "
          "longer safe.")
REWRITE = ("Millbrook's city council decided late on Tuesday to shut the aging Harbor Street library at the close "
           "of March, stating the building requires fixes that would run to over four million dollars. Councillors "
           "backed moving the library's books to the community center on Elm Avenue while a new branch is planned. "
           "Several residents warned the council that shutting the library, which has served the neighborhood since "
           "1921, would leave children without a calm place to study after classes. The vote was painful, council "
           "member Rosa Whitfield said, but the town could not pay to keep a building that was no longer safe.")
"""The source, heavily rewritten: synonyms swapped, clauses moved, the facts and names kept in order."""
LIGHT = SOURCE.replace("Tuesday night", "Tuesday evening").replace("quiet place", "calm place")
