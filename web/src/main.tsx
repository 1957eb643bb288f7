import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

interface Team {
  team_path: string;
  depth: number;
  members_now: number;
}

function Teams() {
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch('/api/teams')
      .then((response) => response.json() as Promise<Team[]>)
      .then(setTeams)
      .catch((reason: unknown) => {
        setError(String(reason));
      });
  }, []);
  if (error) return <p role="alert">Could not load teams: {error}</p>;
  if (!teams) return <p>Loading…</p>;
  return (
    <ul>
      {teams.map((team) => (
        <li key={team.team_path} style={{ marginLeft: `${(team.depth - 1) * 1.5}em` }}>
          {team.team_path} ({team.members_now} people)
        </li>
      ))}
    </ul>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <h1>syncbalance</h1>
      <Teams />
    </StrictMode>,
  );
}
