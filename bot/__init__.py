"""Study bot for 'The Impact of Stalin's Leadership in the USSR, 1924-1941'."""
